"""openapi.py, the OpenAPI 3.0 request/reply checker the mocks use, on a
tiny hand-made document that has each construct it converts; and the
vendored subsets, which must stay loadable and self-contained."""
import glob
import json
import os

import pytest

import openapi
from harness import Call

DOC = {
    "openapi": "3.0.3",
    "info": {"title": "tiny", "version": "1"},
    "paths": {
        "/zones/{zone_id}/records": {
            "parameters": [{"$ref": "#/components/parameters/zone_id"}],
            "get": {
                "parameters": [
                    {"name": "type", "in": "query", "required": True,
                     "schema": {"$ref": "#/components/schemas/type"}},
                    {"name": "page", "in": "query",
                     "schema": {"type": "integer", "minimum": 1}},
                    {"name": "all", "in": "query",
                     "schema": {"type": "boolean"}}],
                "responses": {
                    "200": {"description": "ok", "content": {
                        "application/json": {"schema": {
                            "type": "array",
                            "items": {"$ref":
                                      "#/components/schemas/record"}}}}},
                    "4XX": {"$ref": "#/components/responses/failure"}}},
            "post": {
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": {
                        "$ref": "#/components/schemas/record"}}}},
                "responses": {"200": {"description": "ok", "content": {
                    "application/json": {"schema": {
                        "$ref": "#/components/schemas/record"}}}}}},
        },
        "/zones/{zone_id}/records/{record_id}": {
            "parameters": [{"$ref": "#/components/parameters/zone_id"},
                           {"name": "record_id", "in": "path",
                            "required": True, "schema": {"type": "string"}}],
            "patch": {
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": {
                        "$ref": "#/components/schemas/record"}}}},
                "responses": {"200": {"description": "ok"}}},
            "delete": {"responses": {"204": {"description": "gone"}}},
        },
        "/zones/{zone_id}/records/export": {
            "parameters": [{"$ref": "#/components/parameters/zone_id"}],
            "get": {"responses": {"200": {"description": "zone file"}}},
        },
        "/pets": {
            "post": {
                "requestBody": {"content": {"application/json": {"schema": {
                    "oneOf": [{"$ref": "#/components/schemas/cat"},
                              {"$ref": "#/components/schemas/dog"}],
                    "discriminator": {"propertyName": "kind", "mapping": {
                        "kitty": "#/components/schemas/cat"}}}}}},
                "responses": {"201": {"description": "made"}}},
        },
    },
    "components": {
        "parameters": {
            "zone_id": {"name": "zone_id", "in": "path", "required": True,
                        "schema": {"type": "string", "maxLength": 8}}},
        "responses": {
            "failure": {"description": "no", "content": {
                "application/json": {"schema": {
                    "type": "object", "required": ["error"],
                    "properties": {"error": {"type": "string"}}}}}}},
        "schemas": {
            "type": {"type": "string", "enum": ["A", "MX"],
                     "example": "A"},
            "base": {
                "properties": {
                    "id": {"type": "string", "readOnly": True},
                    "ttl": {"type": "number", "minimum": 60,
                            "exclusiveMinimum": True, "example": 300},
                    "comment": {"type": "string", "nullable": True},
                    "secret": {"type": "string", "writeOnly": True}}},
            "a": {"allOf": [
                {"properties": {"type": {"type": "string", "enum": ["A"]},
                                "content": {"type": "string",
                                            "format": "ipv4"}}},
                {"$ref": "#/components/schemas/base"}],
                "required": ["type", "content"]},
            "mx": {"allOf": [
                {"properties": {"type": {"type": "string", "enum": ["MX"]},
                                "content": {"type": "string"},
                                "priority": {"type": "integer"}}},
                {"$ref": "#/components/schemas/base"}],
                "required": ["type", "content", "priority"]},
            "record": {
                "oneOf": [{"$ref": "#/components/schemas/a"},
                          {"$ref": "#/components/schemas/mx"}],
                "required": ["id", "type", "secret"], "type": "object"},
            "cat": {"type": "object", "required": ["kind", "purrs"],
                    "properties": {"kind": {"type": "string"},
                                   "purrs": {"type": "boolean"}}},
            "dog": {"type": "object", "required": ["kind", "barks"],
                    "properties": {"kind": {"type": "string"},
                                   "barks": {"type": "boolean"}}},
        },
    },
}
REC = "POST /zones/{zone_id}/records"
GOOD = {"type": "A", "content": "192.0.2.1", "secret": "s"}


@pytest.fixture(scope="module")
def spec():
    return openapi.Spec(DOC)


@pytest.mark.parametrize("body,want", [
    (GOOD, []),
    (dict(GOOD, ttl=300, comment=None), []),
    ({"type": "MX", "content": "mx.example.", "priority": 10,
      "secret": "s"}, []),
    # id is required but readOnly: not asked of a request.
    (dict(GOOD, id="x"), []),
    # Wrong type, named at its path.
    (dict(GOOD, content=7),
     [REC + ": body.content: 7 is not of type 'string'"]),
    (dict(GOOD, content="2001:db8::1"),
     [REC + ": body.content: '2001:db8::1' is not a 'ipv4'"]),
    # Missing required: the branch the type picks says which.
    ({"type": "MX", "content": "mx.example.", "secret": "s"},
     [REC + ": body: 'priority' is a required property"]),
    ({"content": "192.0.2.1", "secret": "s"},
     [REC + ": body: 'type' is a required property"]),
    ({"type": "A", "content": "192.0.2.1"},
     [REC + ": body: 'secret' is a required property"]),
    # Unknown enum value of the implicit discriminator.
    (dict(GOOD, type="TXT"),
     [REC + ": body.type: 'TXT' is not one of ['A', 'MX']"]),
    # boolean exclusiveMinimum: 60 itself is out.
    (dict(GOOD, ttl=60),
     [REC + ": body.ttl: 60 is less than or equal to the minimum of 60"]),
    (dict(GOOD, comment=5),
     [REC + ": body.comment: 5 is not of type 'string', 'null'"]),
    # A member no schema declares (a typo a vendor would drop silently).
    (dict(GOOD, contnet="x"),
     [REC + ": body.contnet: not a documented member of the body"]),
    (None, [REC + ": a request body is required"]),
])
def test_request_body(spec, body, want):
    assert spec.check_request("POST", "/zones/z1/records", {}, body) == want


@pytest.mark.parametrize("method,path,query,want", [
    ("GET", "/zones/z1/records", {"type": ["A"], "page": ["2"],
                                  "all": ["true"]}, []),
    ("GET", "/zones/z1/records", {},
     ["GET /zones/{zone_id}/records: query parameter type is required"]),
    ("GET", "/zones/z1/records", {"type": ["CNAME"]},
     ["GET /zones/{zone_id}/records: query parameter type: 'CNAME' is not "
      "one of ['A', 'MX']"]),
    ("GET", "/zones/z1/records", {"type": ["A"], "page": ["0"]},
     ["GET /zones/{zone_id}/records: query parameter page: 0 is less than "
      "the minimum of 1"]),
    ("GET", "/zones/z1/records", {"type": ["A"], "page": ["x"]},
     ["GET /zones/{zone_id}/records: query parameter page: 'x' is not of "
      "type 'integer'"]),
    ("GET", "/zones/z1/records", {"type": ["A"], "all": ["yes"]},
     ["GET /zones/{zone_id}/records: query parameter all: 'yes' is not of "
      "type 'boolean'"]),
    ("GET", "/zones/z1/records", {"type": ["A"], "name.exact": ["x"]},
     ["GET /zones/{zone_id}/records: query parameter name.exact is not "
      "documented"]),
    ("GET", "/zones/z1/records", {"type": ["A", "MX"]},
     ["GET /zones/{zone_id}/records: query parameter type given 2 times"]),
    ("GET", "/zones/a-much-too-long-id/records", {"type": ["A"]},
     ["GET /zones/{zone_id}/records: path parameter zone_id: "
      "'a-much-too-long-id' is too long"]),
    ("GET", "/zones/z1/recrods", {},
     ["GET /zones/z1/recrods: no such path in the document"]),
    ("PUT", "/zones/z1/records/r1", {},
     ["PUT /zones/z1/records/r1: PUT is not documented for "
      "/zones/{zone_id}/records/{record_id} (only DELETE, PATCH)"]),
    ("GET", "/zones/z1/records/export", {}, []),
])
def test_paths_and_parameters(spec, method, path, query, want):
    assert spec.check_request(method, path, query, None) == want


def test_allowed_query_parameter(spec):
    assert spec.check_request("GET", "/zones/z1/records",
                              {"type": ["A"], "name.exact": ["x"]}, None,
                              allow_query=("name.exact",)) == []


def test_literal_template_wins(spec):
    assert spec.find("GET", "/zones/z1/records/export")[0] == \
        "/zones/{zone_id}/records/export"
    assert spec.find("PATCH", "/zones/z1/records/r1")[2] == \
        {"zone_id": "z1", "record_id": "r1"}


def test_body_where_none_is_documented(spec):
    assert spec.check_request("DELETE", "/zones/z1/records/r1", {}, {}) == \
        ["DELETE /zones/{zone_id}/records/{record_id}: the operation takes "
         "no request body"]


@pytest.mark.parametrize("body,base,want", [
    # Partial: nothing required without the stored record...
    ({"content": "192.0.2.9"}, None, []),
    ({"ttl": "300"}, None,
     ["PATCH /zones/{zone_id}/records/{record_id}: body: {'ttl': '300'} is "
      "not valid under any of the given schemas (body.ttl: '300' is not of "
      "type 'number')"]),
    # ...and merged over it when given (its undocumented members ignored).
    ({"content": "192.0.2.9"},
     {"id": "r1", "type": "A", "content": "192.0.2.1", "secret": "s",
      "zone_name": "example.com"}, []),
    ({"content": "mail.example."},
     {"id": "r1", "type": "A", "content": "192.0.2.1", "secret": "s"},
     ["PATCH /zones/{zone_id}/records/{record_id}: body.content: "
      "'mail.example.' is not a 'ipv4'"]),
    ({"type": "MX"},
     {"id": "r1", "type": "A", "content": "192.0.2.1", "secret": "s"},
     ["PATCH /zones/{zone_id}/records/{record_id}: body: 'priority' is a "
      "required property"]),
])
def test_partial_update(spec, body, base, want):
    assert spec.check_request("PATCH", "/zones/z1/records/r1", {}, body,
                              base=base) == want


@pytest.mark.parametrize("body,want", [
    ({"kind": "kitty", "purrs": True}, []),
    ({"kind": "dog", "barks": False}, []),
    ({"kind": "kitty", "barks": True},
     ["POST /pets: body: 'purrs' is a required property"]),
    ({"kind": "cow"},
     ["POST /pets: body.kind: 'cow' is not one of ['kitty', 'dog']"]),
])
def test_explicit_discriminator(spec, body, want):
    assert spec.check_request("POST", "/pets", {}, body) == want


@pytest.mark.parametrize("status,body,want", [
    (200, {"id": "r1", "type": "A", "content": "192.0.2.1"}, []),
    # readOnly id required in a reply; writeOnly secret is not.
    (200, {"type": "A", "content": "192.0.2.1"},
     ["POST /zones/{zone_id}/records: reply 200: body: 'id' is a required "
      "property"]),
    (500, "not json, not documented", []),
])
def test_response(spec, status, body, want):
    assert spec.check_response("POST", "/zones/z1/records", status,
                               body) == want


def test_response_ranges(spec):
    """4XX (a referenced response) applies to any 4xx status."""
    assert spec.check_response("GET", "/zones/z1/records", 404,
                               {"error": "no"}) == []
    assert spec.check_response("GET", "/zones/z1/records", 429, {}) == [
        "GET /zones/{zone_id}/records: reply 429: body: 'error' is a "
        "required property"]


def test_guard_records_and_take(tmp_path):
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(DOC))
    g = openapi.Guard(str(path), prefix="/v1")
    ok = Call("POST", "/v1/zones/z1/records", {}, {}, b"")
    assert g.request(ok, GOOD) == []
    assert g.request(ok, dict(GOOD, type="TXT")) == [
        REC + ": body.type: 'TXT' is not one of ['A', 'MX']"]
    assert g.request(Call("GET", "/v2/zones", {}, {}, b""), None) == [
        "GET /v2/zones: not under /v1"]
    assert g.reply(ok, 200, {"type": "A", "content": "192.0.2.1"}) == [
        "POST /zones/{zone_id}/records: reply 200: body: 'id' is a "
        "required property"]
    assert len(g.take()) == 3
    assert g.take() == []


@pytest.mark.parametrize("path", sorted(glob.glob(
    os.path.join(openapi.FIXTURES, "*.json"))))
def test_vendored_subsets_resolve(path):
    """Every reference in a vendored subset resolves and every schema
    converts to a valid JSON Schema; its provenance header is there."""
    spec = openapi.Spec.load(path)
    head = spec.doc["x-ddnsup-subset"]
    assert head["source"] and head["license"] and head["operations"]
    for mode in ("request", "patch", "response"):
        s = spec.schema({"type": "object"}, mode)
        openapi.jsonschema.Draft202012Validator.check_schema(s)
        v = openapi.jsonschema.Draft202012Validator(s)
        for name in spec.schemas:
            v.evolve(schema={"$ref": "#/$defs/" + name, "$defs":
                             s["$defs"]}).is_valid({})
    for op in head["operations"]:
        method, tpl = op.split(" ", 1)
        assert method.lower() in spec.doc["paths"][tpl]


def test_cloudflare_subset_is_reproducible():
    """tests/fixtures/openapi/cloudflare.json is what subset.py makes of
    the full document (ref/, beside the repository or a worktree of it),
    so it was not edited by hand and a refresh is one command."""
    import importlib.util
    import harness
    name = "cloudflare-openapi-20240801.json"
    full = [os.path.join(harness.ROOT, up, "shared", "ref", name)
            for up in ("..", os.path.join("..", ".."))]
    full = [p for p in full if os.path.exists(p)]
    if not full:
        pytest.skip("the full Cloudflare document (ref/%s) is not here"
                    % name)
    spec = importlib.util.spec_from_file_location(
        "subset", os.path.join(openapi.FIXTURES, "subset.py"))
    subset = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(subset)
    made = subset.subset(subset.load(full[0]), "cloudflare")
    with open(os.path.join(openapi.FIXTURES, "cloudflare.json")) as f:
        assert json.load(f) == made
