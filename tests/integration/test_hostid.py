"""Prefix + host id: AAAA records of other devices on the LAN, each the
public IPv6 prefix with its own host id (record keys host_id, prefix_len).
"""
import harness
from test_driver import CallbackMock, cb_record, make_config, run, updates

OK = 0
A4 = "203.0.113.10"


def config(tmp_path, srv, **extra):
    recs = [cb_record(srv, "nas.example.com", types="both",
                      host_id="::1234"),
            cb_record(srv, "cam.example.com", types="AAAA",
                      host_id="00:11:22:33:44:55"),
            cb_record(srv, "me.example.com", types="AAAA"),
            cb_record(srv, "net.example.com", types="AAAA",
                      host_id="0:0:0:7::1", prefix_len=56)]
    return make_config(tmp_path, recs, **extra)


def test_each_record_gets_its_own_address(tmp_path, servers):
    srv = servers(CallbackMock)
    path = config(tmp_path, srv)
    r = run(tmp_path, ["-c", path, "--ip", "2001:db8:1:2ff::99", "--ip", A4])
    assert r.code == OK, r
    assert sorted(updates(srv)) == sorted([
        ("nas.example.com", "A", A4),          # A records: IPv4 unchanged
        ("nas.example.com", "AAAA", "2001:db8:1:2ff::1234"),
        ("cam.example.com", "AAAA", "2001:db8:1:2ff:211:22ff:fe33:4455"),
        ("me.example.com", "AAAA", "2001:db8:1:2ff::99"),
        ("net.example.com", "AAAA", "2001:db8:1:207::1")])
    assert "nas.example.com AAAA 2001:db8:1:2ff::1234 updated" in r.out, r

    # Same prefix, another interface id of this host: the host-id records
    # are current, only the plain one moves.
    r = run(tmp_path, ["-c", path, "--ip", "2001:db8:1:2ff::98", "--ip", A4,
                       "--json"])
    assert r.code == OK, r
    assert updates(srv)[5:] == [("me.example.com", "AAAA",
                                 "2001:db8:1:2ff::98")]
    recs = {(x["name"], x["type"]): x for x in r.json()["records"]}
    assert recs[("nas.example.com", "AAAA")]["address"] == \
        "2001:db8:1:2ff::1234"
    assert recs[("nas.example.com", "AAAA")]["outcome"] == "current"
    assert recs[("net.example.com", "AAAA")]["address"] == \
        "2001:db8:1:207::1"
    assert r.json()["addresses"]["AAAA"]["address"] == "2001:db8:1:2ff::98"

    # A new delegated prefix: every AAAA record follows it.
    r = run(tmp_path, ["-c", path, "--ip", "2001:db8:9:9ff::98", "--ip", A4])
    assert r.code == OK, r
    assert sorted(updates(srv)[6:]) == sorted([
        ("nas.example.com", "AAAA", "2001:db8:9:9ff::1234"),
        ("cam.example.com", "AAAA", "2001:db8:9:9ff:211:22ff:fe33:4455"),
        ("me.example.com", "AAAA", "2001:db8:9:9ff::98"),
        ("net.example.com", "AAAA", "2001:db8:9:907::1")])
    assert "(was 2001:db8:1:2ff::1234)" in r.out, r

    # Nothing changed: nothing pushed.
    n = len(updates(srv))
    r = run(tmp_path, ["-c", path, "--ip", "2001:db8:9:9ff::98", "--ip", A4,
                       "-u"])
    assert r.code == 2, r
    assert len(updates(srv)) == n


def test_changed_host_id_pushes(tmp_path, servers):
    srv = servers(CallbackMock)
    rec = cb_record(srv, "nas.example.com", types="AAAA", host_id="::1234")
    path = make_config(tmp_path, [rec])
    r = run(tmp_path, ["-c", path, "--ip", "2001:db8:1:2::99"])
    assert r.code == OK and len(updates(srv)) == 1, r
    rec["host_id"] = "::1235"
    path = make_config(tmp_path, [rec])
    r = run(tmp_path, ["-c", path, "--ip", "2001:db8:1:2::99"])
    assert r.code == OK, r
    assert updates(srv)[1] == ("nas.example.com", "AAAA", "2001:db8:1:2::1235")


def test_host_id_error_names_the_place(tmp_path, servers):
    srv = servers(CallbackMock)
    path = make_config(tmp_path, [cb_record(srv, "nas.example.com",
                                            types="AAAA", host_id="::1:0:0:0:1")])
    r = run(tmp_path, ["-c", path, "--check-config"])
    assert r.code == 78, r
    assert path + ":" in r.err and "records[0].host_id: \"::1:0:0:0:1\" " \
        "with a /64 prefix: the host id is wider than the host part" in r.err, r
