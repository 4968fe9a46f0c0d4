"""Probe endpoints for the integration tests, one behaviour per path.

  /fast/<addr>             200, the address alone
  /slow/<ms>/<addr>        200 after ms milliseconds
  /hang                    never answers (holds the connection 60 s)
  /reset                   aborts the connection with a TCP RST
  /html/<addr>             an HTML page with the address in it
  /status/<code>/<addr>    that status, the address as the body
  /json/<addr>             {"ip": addr}
  /chinese/<addr>          myip.ipip.net's sentence, full-width colon
  /two/<a>/<b>             two addresses
  /big                     2 MiB, more than the reply size cap
  /redirect/<path...>      302 to /<path...>
"""
import time

from harness import MockHandler

HANG_S = 60


class ProbeHandler(MockHandler):
    def respond(self, call):
        parts = call.path.strip("/").split("/")
        kind, args = parts[0], parts[1:]
        if kind == "fast":
            return 200, {"Content-Type": "text/plain"}, args[0] + "\n"
        if kind == "slow":
            time.sleep(int(args[0]) / 1000.0)
            return 200, {"Content-Type": "text/plain"}, args[1] + "\n"
        if kind == "hang":
            time.sleep(HANG_S)
            self.close_connection = True
            return None
        if kind == "reset":
            self.reset()
            self.close_connection = True
            return None
        if kind == "html":
            page = ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                    "<title>What is my IP? HTTP/1.1</title></head>\n"
                    "<body><h1>Your address</h1>\n<p class=\"ip\">%s</p>\n"
                    "<footer>nginx/1.24.0</footer></body></html>\n" % args[0])
            return 200, {"Content-Type": "text/html; charset=utf-8"}, page
        if kind == "status":
            return int(args[0]), {"Content-Type": "text/plain"}, args[1] + "\n"
        if kind == "json":
            return 200, {}, {"ip": args[0], "country": "NL"}
        if kind == "chinese":
            line = "当前 IP：%s  来自于：中国 浙江 杭州 电信\n" % args[0]
            return 200, {"Content-Type": "text/plain; charset=utf-8"}, line
        if kind == "two":
            return 200, {}, "%s %s\n" % (args[0], args[1])
        if kind == "big":
            return 200, {}, b"x" * (2 * 1024 * 1024)
        if kind == "redirect":
            return 302, {"Location": "/" + "/".join(args)}, ""
        return 404, {}, "no such behaviour\n"
