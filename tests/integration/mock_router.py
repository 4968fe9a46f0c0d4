"""A home router for the integration tests: a NAT-PMP responder (UDP) and a
UPnP IGD (HTTP: device description + SOAP control), plus an SSDP responder
for the network-namespace test.

Each checks what ddnsup sends the way the specifications say, with its own
implementation: the NAT-PMP request must be exactly version 0, opcode 0
(RFC 6886 3.2); the SOAP request must be a POST with the SOAPAction header
"<service type>#GetExternalIPAddress", a text/xml body whose
Envelope/Body/GetExternalIPAddress element is in the service type's
namespace (UPnP Device Architecture 1.1, 3.2.1). Anything else is recorded
in .errors and answered with a SOAP fault 401 "Invalid Action".
"""
import socket
import struct
import sys
import threading
import time
import xml.etree.ElementTree as ET

from harness import MockHandler

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
IP1 = "urn:schemas-upnp-org:service:WANIPConnection:1"
IP2 = "urn:schemas-upnp-org:service:WANIPConnection:2"
PPP1 = "urn:schemas-upnp-org:service:WANPPPConnection:1"
IGD1 = "urn:schemas-upnp-org:device:InternetGatewayDevice:1"


class NatPmp:
    """A NAT-PMP server on (host, port 0). mode says how it answers:

      ok         a valid reply with .wan
      silent     never answers
      code:N     result code N (an 8-byte error reply... padded to 12)
      garbage    wrong version, wrong opcode, short and long packets
      late       garbage to the first request, valid to the second
    """

    def __init__(self, wan="203.0.113.7", mode="ok", host="127.0.0.1",
                 port=0):
        self.wan = wan
        self.mode = mode
        self.requests = []          # (monotonic time, bytes)
        self.errors = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, port))
        self.port = self.sock.getsockname()[1]
        self.epoch = 1234
        self.stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _reply(self, code=0, addr=None, version=0, op=128):
        a = socket.inet_aton(addr or self.wan)
        return struct.pack("!BBHI4s", version, op, code, self.epoch, a)

    def _serve(self):
        self.sock.settimeout(0.1)
        while not self.stop:
            try:
                data, peer = self.sock.recvfrom(1500)
            except socket.timeout:
                continue
            except OSError:
                return
            self.requests.append((time.monotonic(), data))
            if data != b"\x00\x00":
                self.errors.append("not a version 0 opcode 0 request: %r"
                                   % data)
                continue
            m = self.mode
            if m == "silent":
                continue
            if m == "ok":
                self.sock.sendto(self._reply(), peer)
            elif m.startswith("code:"):
                self.sock.sendto(self._reply(code=int(m[5:]))[:8], peer)
            elif m in ("garbage", "late"):
                if m == "late" and len(self.requests) > 1:
                    self.sock.sendto(self._reply(), peer)
                    continue
                for pkt in (self._reply(version=2), self._reply(op=0),
                            self._reply(op=129), self._reply()[:7],
                            self._reply()[:11], self._reply() + b"\x00",
                            b"HTTP/1.1 200 OK\r\n\r\n"):
                    self.sock.sendto(pkt, peer)

    def close(self):
        self.stop = True
        self.thread.join(1)
        self.sock.close()


def description(services, urlbase=None):
    """An IGD:1 description, miniupnpd's nesting, with services
    [(type, controlURL)] in the WANConnectionDevice."""
    svc = "".join(
        "<service><serviceType>%s</serviceType><serviceId>urn:upnp-org:"
        "serviceId:%s</serviceId><SCPDURL>/scpd.xml</SCPDURL><controlURL>%s"
        "</controlURL><eventSubURL>/evt</eventSubURL></service>\r\n"
        % (t, t.split(":")[-2], c) for t, c in services)
    base = "<URLBase>%s</URLBase>" % urlbase if urlbase else ""
    return ('<?xml version="1.0"?>\r\n'
            '<root xmlns="urn:schemas-upnp-org:device-1-0">'
            "<specVersion><major>1</major><minor>0</minor></specVersion>%s"
            "<device><deviceType>%s</deviceType><friendlyName>Test router"
            "</friendlyName><deviceList><device><deviceType>urn:schemas-upnp-"
            "org:device:WANDevice:1</deviceType><deviceList><device>"
            "<deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1"
            "</deviceType><serviceList>\r\n%s</serviceList></device>"
            "</deviceList></device></deviceList></device></root>\r\n"
            % (base, IGD1, svc))


def soap_reply(stype, addr):
    return ('<?xml version="1.0"?>\r\n<s:Envelope xmlns:s="%s" '
            's:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">'
            '<s:Body><u:GetExternalIPAddressResponse xmlns:u="%s">'
            "<NewExternalIPAddress>%s</NewExternalIPAddress>"
            "</u:GetExternalIPAddressResponse></s:Body></s:Envelope>\r\n"
            % (SOAP_NS, stype, addr))


def soap_fault(code, desc):
    return ('<?xml version="1.0"?>\r\n<s:Envelope xmlns:s="%s" '
            's:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">'
            "<s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>"
            "UPnPError</faultstring><detail><UPnPError xmlns=\"urn:schemas-"
            "upnp-org:control-1-0\"><errorCode>%d</errorCode>"
            "<errorDescription>%s</errorDescription></UPnPError></detail>"
            "</s:Fault></s:Body></s:Envelope>\r\n" % (SOAP_NS, code, desc))


def check_soap(call, stype):
    """Why the SOAP call is not a GetExternalIPAddress for stype, or None."""
    if call.method != "POST":
        return "method %s" % call.method
    action = call.headers.get("SOAPAction")
    if action != '"%s#GetExternalIPAddress"' % stype:
        return "SOAPAction %r" % action
    ctype = call.headers.get("Content-Type", "")
    if not ctype.startswith("text/xml"):
        return "Content-Type %r" % ctype
    try:
        env = ET.fromstring(call.body)
    except ET.ParseError as e:
        return "body is not XML: %s" % e
    if env.tag != "{%s}Envelope" % SOAP_NS:
        return "root %s" % env.tag
    body = env.find("{%s}Body" % SOAP_NS)
    if body is None or len(body) != 1:
        return "no Body with one action"
    if body[0].tag != "{%s}GetExternalIPAddress" % stype:
        return "action %s" % body[0].tag
    return None


class IgdHandler(MockHandler):
    """GET /rootDesc.xml: the description; POST <controlURL>: SOAP.

    state: services [(type, path)], wan, fault (code, desc) or None,
    desc (a raw description overriding the built one), urlbase, soap_status.
    """

    def respond(self, call):
        st = self.server.state
        st.setdefault("errors", [])
        services = st.get("services", [(IP1, "/ctl/IPConn")])
        if call.method == "GET" and call.path == "/rootDesc.xml":
            body = st.get("desc") or description(services, st.get("urlbase"))
            return 200, {"Content-Type": 'text/xml; charset="utf-8"'}, body
        for stype, path in services:
            if call.path != path:
                continue
            why = check_soap(call, stype)
            if why:
                st["errors"].append(why)
                return 500, {"Content-Type": "text/xml"}, soap_fault(
                    401, "Invalid Action")
            if st.get("fault"):
                return 500, {"Content-Type": "text/xml"}, soap_fault(
                    *st["fault"])
            wan = st.get("wan", {}).get(stype, st.get("wan_all",
                                                        "203.0.113.7"))
            return 200, {"Content-Type": 'text/xml; charset="utf-8"'}, \
                soap_reply(stype, wan)
        return 404, {}, "not here\n"


class Ssdp:
    """An SSDP responder: joins 239.255.255.250 on the interface with
    address ifaddr and answers M-SEARCHes for the IGD and WAN connection
    types with location. Records the search targets it saw."""

    TARGETS = (IGD1, "urn:schemas-upnp-org:device:InternetGatewayDevice:2",
               IP1, IP2, PPP1, "ssdp:all", "upnp:rootdevice")

    def __init__(self, ifaddr, location):
        self.location = location
        self.seen = []
        self.errors = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("0.0.0.0", 1900))
        mreq = socket.inet_aton("239.255.255.250") + socket.inet_aton(ifaddr)
        self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                             mreq)
        self.stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        self.sock.settimeout(0.1)
        while not self.stop:
            try:
                data, peer = self.sock.recvfrom(2048)
            except socket.timeout:
                continue
            except OSError:
                return
            head = data.decode("latin-1").split("\r\n")
            if head[0] != "M-SEARCH * HTTP/1.1":
                continue
            hdr = {}
            for line in head[1:]:
                if ":" in line:
                    k, v = line.split(":", 1)
                    hdr[k.strip().upper()] = v.strip()
            if hdr.get("MAN") != '"ssdp:discover"' or \
                    hdr.get("HOST") != "239.255.255.250:1900" or \
                    not hdr.get("MX", "").isdigit():
                self.errors.append("malformed M-SEARCH: %r" % data)
                continue
            st = hdr.get("ST")
            self.seen.append(st)
            if st not in self.TARGETS:
                continue
            reply = ("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\n"
                     "ST: %s\r\nUSN: uuid:0::%s\r\nEXT:\r\n"
                     "SERVER: Linux UPnP/1.1 test/1\r\nLOCATION: %s\r\n\r\n"
                     % (st, st, self.location))
            self.sock.sendto(reply.encode(), peer)

    def close(self):
        self.stop = True
        self.thread.join(1)
        self.sock.close()


def main(argv):
    """In the router's network namespace (test_router.py's lan fixture):
    mock_router.py WAN NATPMP_MODE SSDP(0/1). Serves the IGD on
    10.77.0.1:8080, NAT-PMP on 10.77.0.1:5351 and, with SSDP 1, answers
    searches; prints "ready", then runs until killed. Errors the checks
    found are printed as "ERROR ..." on exit."""
    import signal
    from harness import _Server
    wan, mode, ssdp = argv[1], argv[2], argv[3] == "1"
    httpd = _Server(("10.77.0.1", 8080), IgdHandler)
    httpd.calls = []
    httpd.state = {"wan_all": wan}
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    np = NatPmp(wan, mode, host="10.77.0.1", port=5351)
    sd = Ssdp("10.77.0.1", "http://10.77.0.1:8080/rootDesc.xml") \
        if ssdp else None
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: done.set())
    print("ready", flush=True)
    done.wait()
    errors = np.errors + httpd.state.get("errors", []) + \
        (sd.errors if sd else [])
    for e in errors:
        print("ERROR", e, flush=True)
    if sd:
        print("searched:", sorted(set(sd.seen)), flush=True)
    np.close()
    if sd:
        sd.close()


if __name__ == "__main__":
    sys.path.insert(0, __import__("os").path.dirname(
        __import__("os").path.abspath(__file__)))
    main(sys.argv)
