"""Check requests (and the mocks' replies) against a vendor's OpenAPI 3.0
document, the subsets vendored in tests/fixtures/openapi/<vendor>.json.

    spec = openapi.Spec.load("cloudflare")
    spec.check_request("POST", "/zones/abc/dns_records", query={}, body={})
      -> ["POST /zones/{zone_id}/dns_records: body: 'type' is a required
           property", ...]
    spec.check_response("POST", "/zones/abc/dns_records", 200, reply)

What is checked, each failure one precise message:
- the operation exists (method + concrete path matched to the templates,
  the most literal template winning: /zones/{id}/dns_records/export
  beats /zones/{id}/dns_records/{record_id});
- path and query parameters: required ones present, values valid against
  their schemas (strings coerced to the declared integer / number /
  boolean first); undocumented query parameters are violations unless the
  caller allows them by name (an API ignores them silently, so a typo
  would otherwise pass);
- the JSON body against the requestBody schema, $refs resolved, with the
  OpenAPI 3.0 dialect turned into JSON Schema 2020-12 (jsonschema):
  nullable -> a "null" type; example, xml, externalDocs, x-* dropped;
  boolean exclusiveMinimum/Maximum -> numeric ones; readOnly properties
  not required in requests (writeOnly ones not in replies); a oneOf whose
  branches are told apart by one property (an explicit discriminator, or
  every branch fixing the same property to a single enum value, as
  Cloudflare's record types do) -> if/then per value, so an error names
  the field of the branch chosen instead of "not valid under any";
  formats checked where jsonschema knows them (ipv4, ipv6, ...);
  body members no schema declares are violations (strict) - vendors drop
  them silently;
- a partial update (PATCH) is validated merged over the stored resource
  when the caller gives it, else with nothing required;
- a reply against the documented response for its status (exact code,
  then 4XX-style ranges, then default).

Guard wraps a Spec for a mock: it records every violation; the test
module asserts none were recorded.
"""
import copy
import json
import os
import re
import threading

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(os.path.dirname(HERE), "fixtures", "openapi")
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
DROP = ("example", "examples", "externalDocs", "xml", "discriminator",
        "nullable", "deprecated")


def _ptr(doc, ref):
    """The object a local "#/a/b" reference names in doc."""
    if not ref.startswith("#/"):
        raise ValueError("only local references are supported: %s" % ref)
    o = doc
    for part in ref[2:].split("/"):
        o = o[part.replace("~1", "/").replace("~0", "~")]
    return o


def _where(prefix, path):
    """body.a[0].b style location of a jsonschema error."""
    s = prefix
    for p in path:
        s += "[%d]" % p if isinstance(p, int) else ".%s" % p
    return s


class Spec:
    """One OpenAPI 3.0 document (a dict), ready to check calls."""

    def __init__(self, doc):
        self.doc = doc
        self.schemas = doc.get("components", {}).get("schemas", {})
        self._defs = {}
        self._ops = []
        for tpl, item in doc.get("paths", {}).items():
            rx = "^" + "".join(
                "([^/]+)" if re.fullmatch(r"\{[^}]+\}", part) else
                re.escape(part)
                for part in re.split(r"(\{[^}]+\})", tpl)) + "$"
            names = re.findall(r"\{([^}]+)\}", tpl)
            literal = len(re.sub(r"\{[^}]+\}", "", tpl))
            self._ops.append((literal, tpl, re.compile(rx), names, item))
        self._ops.sort(key=lambda o: -o[0])

    @classmethod
    def load(cls, name):
        """The vendored subset tests/fixtures/openapi/<name>.json, or a
        path to any OpenAPI JSON document."""
        path = name if os.sep in name else os.path.join(FIXTURES,
                                                        name + ".json")
        with open(path) as f:
            return cls(json.load(f))

    # ---- lookups --------------------------------------------------------
    def deref(self, o):
        """o with a top-level $ref followed (components of any kind)."""
        seen = 0
        while isinstance(o, dict) and "$ref" in o:
            o = _ptr(self.doc, o["$ref"])
            seen += 1
            if seen > 50:
                raise ValueError("reference loop")
        return o

    def find(self, method, path):
        """(template, operation, {path param: value}) or None."""
        for _, tpl, rx, names, item in self._ops:
            m = rx.match(path)
            if m is None or method.lower() not in item:
                continue
            return tpl, item, dict(zip(names, m.groups()))
        return None

    def templates(self, path):
        """The methods documented for the template path matches."""
        for _, tpl, rx, _, item in self._ops:
            if rx.match(path):
                return tpl, sorted(m.upper() for m in item if m in METHODS)
        return None, []

    def _params(self, item, op):
        """{(name, in): parameter} for an operation, path level first."""
        ps = {}
        for p in item.get("parameters", []) + op.get("parameters", []):
            p = self.deref(p)
            ps[(p["name"], p["in"])] = p
        return ps

    # ---- OpenAPI 3.0 schema -> JSON Schema 2020-12 -------------------------
    def _props(self, s, name, depth=0):
        """Every definition of property name reachable from schema s
        through $ref and allOf/oneOf/anyOf (resolved dicts)."""
        s = self.deref(s)
        if not isinstance(s, dict) or depth > 20:
            return []
        out = []
        if name in s.get("properties", {}):
            out.append(self.deref(s["properties"][name]))
        for k in ("allOf", "oneOf", "anyOf"):
            for sub in s.get(k, []):
                out += self._props(sub, name, depth + 1)
        return out

    def _required(self, s, name, depth=0):
        """True if schema s (through $ref / allOf) requires name."""
        s = self.deref(s)
        if not isinstance(s, dict) or depth > 20:
            return False
        if name in s.get("required", []):
            return True
        return any(self._required(x, name, depth + 1)
                   for x in s.get("allOf", []))

    def _tag(self, s):
        """For a oneOf/anyOf: (property, [(value, branch)]) when the
        branches are told apart by one property, else None."""
        branches = s.get("oneOf") or s.get("anyOf")
        d = s.get("discriminator")
        if not branches or len(branches) < 2:
            return None
        if d and all("$ref" in b for b in branches):
            back = {v: k for k, v in d.get("mapping", {}).items()}
            return d["propertyName"], [
                ([back.get(b["$ref"], b["$ref"].rsplit("/", 1)[-1])], b)
                for b in branches]
        # Implicit (or a discriminator over inline branches): the first
        # property every branch fixes to values no other branch has.
        for prop in self._names(branches[0]):
            out = []
            for b in branches:
                vals = None
                for p in self._props(b, prop):
                    if isinstance(p.get("enum"), list):
                        vals = p["enum"]
                if vals is None:
                    break
                out.append((vals, b))
            else:
                seen = [v for vals, _ in out for v in vals]
                if len(seen) == len(set(map(json.dumps, seen))):
                    return prop, out
        return None

    def _names(self, s, depth=0):
        """Property names declared by s through $ref and compositions."""
        s = self.deref(s)
        if not isinstance(s, dict) or depth > 20:
            return []
        out = list(s.get("properties", {}))
        for k in ("allOf", "oneOf", "anyOf"):
            for sub in s.get(k, []):
                out += [n for n in self._names(sub, depth + 1)
                        if n not in out]
        return out

    def _convert(self, s, mode):
        """Schema s in JSON Schema 2020-12 for mode "request", "patch"
        (nothing required) or "response"."""
        if isinstance(s, list):
            return [self._convert(x, mode) for x in s]
        if not isinstance(s, dict):
            return s
        if "$ref" in s:
            ref = s["$ref"]
            if ref.startswith("#/components/schemas/"):
                return {"$ref": "#/$defs/" + ref.rsplit("/", 1)[-1]}
            return self._convert(self.deref(s), mode)
        out = {}
        tag = self._tag(s) if ("oneOf" in s or "anyOf" in s) else None
        for k, v in s.items():
            if k in DROP or k.startswith("x-"):
                continue
            if k in ("properties", "patternProperties", "$defs"):
                out[k] = {n: self._convert(x, mode) for n, x in v.items()}
            elif k in ("items", "not", "additionalProperties",
                       "allOf", "oneOf", "anyOf"):
                out[k] = self._convert(v, mode)
            elif k == "required":
                req = []
                for n in v:
                    defs = self._props(s, n)
                    hide = "readOnly" if mode != "response" else "writeOnly"
                    if defs and all(d.get(hide) for d in defs):
                        continue
                    req.append(n)
                if mode != "patch" and req:
                    out[k] = req
            else:
                out[k] = copy.deepcopy(v)
        for k in ("exclusiveMinimum", "exclusiveMaximum"):
            if out.get(k) is True:
                lim = "minimum" if k == "exclusiveMinimum" else "maximum"
                out[k] = out.pop(lim)
            elif out.get(k) is False:
                del out[k]
        if tag is not None:
            prop, branches = tag
            key = "oneOf" if "oneOf" in out else "anyOf"
            del out[key]
            allv = [v for vals, _ in branches for v in vals]
            rules = [{"properties": {prop: {"enum": allv}}}]
            for vals, b in branches:
                rules.append({"if": {"properties": {prop: {"enum": vals}},
                                     "required": [prop]},
                              "then": self._convert(b, mode)})
            if mode == "patch":
                # Without the tag the body must still fit some branch.
                rules.append({"if": {"not": {"required": [prop]}},
                              "then": {"anyOf": [self._convert(b, mode)
                                                 for _, b in branches]}})
            elif prop not in out.get("required", []) and all(
                    self._required(b, prop) for _, b in branches):
                rules.append({"required": [prop]})
            out["allOf"] = out.get("allOf", []) + rules
        if s.get("nullable"):
            if "enum" in out and None not in out["enum"]:
                out["enum"] = out["enum"] + [None]
            if isinstance(out.get("type"), str):
                out["type"] = [out["type"], "null"]
            elif "type" not in out:
                out = {"anyOf": [out, {"type": "null"}]}
        return out

    def schema(self, s, mode):
        """A self-contained JSON Schema for OpenAPI schema s."""
        if mode not in self._defs:
            self._defs[mode] = {n: self._convert(x, mode)
                                for n, x in self.schemas.items()}
        out = self._convert(s, mode)
        out["$defs"] = self._defs[mode]
        return out

    def _validate(self, s, mode, value, where):
        """Messages for value against OpenAPI schema s."""
        v = jsonschema.Draft202012Validator(
            self.schema(s, mode), format_checker=jsonschema.FormatChecker())
        out = []
        for e in sorted(v.iter_errors(value), key=lambda e: list(
                map(str, e.absolute_path))):
            msg = e.message
            if e.validator in ("anyOf", "oneOf") and e.context:
                why = []
                for c in e.context:
                    w = "%s: %s" % (_where(where, c.absolute_path), c.message)
                    if w not in why:
                        why.append(w)
                msg += " (%s)" % "; ".join(why)
            msg = "%s: %s" % (_where(where, e.absolute_path), msg)
            if msg not in out:
                out.append(msg)
        return out

    # ---- the checks -------------------------------------------------------
    def _coerce(self, value, s):
        """A query / path string as the type its schema declares."""
        t = self.deref(s).get("type") if isinstance(s, dict) else None
        try:
            if t == "integer":
                return int(value)
            if t == "number":
                return float(value) if "." in value else int(value)
            if t == "boolean" and value in ("true", "false"):
                return value == "true"
        except ValueError:
            pass
        return value

    def check_request(self, method, path, query=None, body=None,
                      base=None, allow_query=(), partial=("PATCH",),
                      strict=True):
        """Violations (list of str, empty when fine) of a request.
        query: {name: [values]} (urllib.parse.parse_qs); body: parsed
        JSON or None; base: for a partial method, the stored resource the
        body is merged over."""
        found = self.find(method, path)
        if found is None:
            tpl, methods = self.templates(path)
            if tpl is None:
                return ["%s %s: no such path in the document" % (method,
                                                                 path)]
            return ["%s %s: %s is not documented for %s (only %s)" % (
                method, path, method, tpl, ", ".join(methods))]
        tpl, item, pvals = found
        op = item[method.lower()]
        head = "%s %s" % (method.upper(), tpl)
        out = []
        params = self._params(item, op)
        query = query or {}
        for (name, loc), p in params.items():
            s = p.get("schema", {})
            if loc == "path":
                out += ["%s: %s" % (head, m) for m in self._validate(
                    s, "request", self._coerce(pvals.get(name, ""), s),
                    "path parameter %s" % name)]
            elif loc == "query":
                if name not in query:
                    if p.get("required"):
                        out.append("%s: query parameter %s is required" %
                                   (head, name))
                    continue
                vals = query[name]
                if len(vals) > 1 and self.deref(s).get("type") != "array":
                    out.append("%s: query parameter %s given %d times" %
                               (head, name, len(vals)))
                value = self._coerce(vals[-1], s)
                if self.deref(s).get("type") == "array":
                    value = [self._coerce(x, self.deref(s).get("items", {}))
                             for x in vals]
                out += ["%s: %s" % (head, m) for m in self._validate(
                    s, "request", value, "query parameter %s" % name)]
        for name in query:
            if (name, "query") not in params and name not in allow_query:
                out.append("%s: query parameter %s is not documented" %
                           (head, name))
        rb = self.deref(op.get("requestBody")) if "requestBody" in op \
            else None
        if rb is None:
            if body is not None:
                out.append("%s: the operation takes no request body" % head)
            return out
        if body is None:
            if rb.get("required"):
                out.append("%s: a request body is required" % head)
            return out
        media = rb.get("content", {})
        mt = next((m for m in media if "json" in m), None)
        if mt is None:
            out.append("%s: the body is JSON; the document takes only %s" %
                       (head, ", ".join(media)))
            return out
        s = media[mt].get("schema")
        if s is None:
            return out
        mode = "request"
        value = body
        if method.upper() in partial:
            if base is not None and isinstance(body, dict):
                names = self._names(s)
                value = {k: v for k, v in base.items() if k in names}
                value.update(body)
            else:
                mode = "patch"
        if strict and isinstance(body, dict):
            names = self._names(s)
            if names:
                for k in body:
                    if k not in names:
                        out.append("%s: body.%s: not a documented member "
                                   "of the body" % (head, k))
        out += ["%s: %s" % (head, m)
                for m in self._validate(s, mode, value, "body")]
        return out

    def response_schema(self, op, status):
        """The JSON schema documented for status, or None."""
        rs = op.get("responses", {})
        for key in (str(status), "%dXX" % (status // 100),
                    "%dxx" % (status // 100), "default"):
            if key in rs:
                r = self.deref(rs[key])
                media = r.get("content", {})
                mt = next((m for m in media if "json" in m), None)
                return media[mt].get("schema") if mt else None
        return None

    def check_response(self, method, path, status, body):
        """Violations of a reply (parsed JSON) for status; statuses the
        document does not describe are not checked."""
        found = self.find(method, path)
        if found is None:
            return []
        tpl, item, _ = found
        s = self.response_schema(item[method.lower()], status)
        if s is None:
            return []
        return ["%s %s: reply %d: %s" % (method.upper(), tpl, status, m)
                for m in self._validate(s, "response", body, "body")]


class Guard:
    """A Spec for a mock served under prefix: check each call, keep every
    violation in .violations (the test module asserts it stays empty)."""

    def __init__(self, vendor, prefix="", allow_query=(), partial=("PATCH",)):
        self.spec = Spec.load(vendor)
        self.prefix = prefix
        self.allow_query = tuple(allow_query)
        self.partial = tuple(partial)
        self.violations = []
        self.lock = threading.Lock()

    def _path(self, path):
        if self.prefix and path.startswith(self.prefix + "/"):
            return path[len(self.prefix):]
        return None

    def request(self, call, body, base=None):
        """Violations of call (harness.Call; body: its parsed JSON or
        None), recorded."""
        p = self._path(call.path)
        if p is None:
            v = ["%s %s: not under %s" % (call.method, call.path,
                                          self.prefix)]
        else:
            v = self.spec.check_request(call.method, p, call.query, body,
                                        base=base,
                                        allow_query=self.allow_query,
                                        partial=self.partial)
        with self.lock:
            self.violations += v
        return v

    def reply(self, call, status, payload):
        """Violations of the mock's own reply, recorded."""
        p = self._path(call.path)
        if p is None or not isinstance(payload, (dict, list)):
            return []
        v = self.spec.check_response(call.method, p, status, payload)
        with self.lock:
            self.violations += v
        return v

    def take(self):
        """The violations recorded so far; the record is emptied."""
        with self.lock:
            v, self.violations = self.violations, []
        return v
