#!/usr/bin/env python3
"""Tests Pipelines/deploy/nginx.conf: `nginx -t` on it, then a real HTTPS request through nginx to `digitag serve`.

The file is used as shipped, with only its addresses and certificate paths replaced (each replacement must hit
exactly once, so a change to the file that this test no longer covers fails here): a self-signed certificate made
by openssl in a temp folder, free ports on 127.0.0.1, digitag started with --behind-proxy on a run of SampleData.
Checked through nginx: plain HTTP is redirected to HTTPS; HSTS and Cache-Control: no-store on pages; the sign-in
sets a session cookie with Secure, HttpOnly and SameSite=Strict; the audit log records the address nginx saw,
not one the client put in X-Forwarded-For; a body over the bound is refused (413) by nginx.

Without nginx it says so and passes, unless --require-nginx (`make test-deploy`, which installs nginx).
Usage: python3 scripts/deploy-test.py [--bin .build/debug/digitag] [--scratch DIR] [--require-nginx]
"""

import argparse
import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONF = os.path.join(ROOT, "Pipelines/deploy/nginx.conf")
USER, PASSWORD = "wang.li", "deploy test passphrase 1"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def fail(message):
    print(f"\ndeploy-test: FAILED: {message}", file=sys.stderr)
    raise SystemExit(1)


def replace_once(text, old, new):
    if text.count(old) != 1:
        fail(f"{CONF} should contain {old!r} exactly once (it has {text.count(old)}): update this test with the file")
    return text.replace(old, new)


def run(argv, **kw):
    p = subprocess.run(argv, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        fail(f"{' '.join(argv)} exited {p.returncode}: {(p.stderr or p.stdout).strip()[-1500:]}")
    return p


def wait_for(port, proc, what):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            fail(f"{what} exited {proc.returncode} at start")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    fail(f"{what} does not listen on {port} after 30 s")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build/debug/digitag"))
    ap.add_argument("--scratch")
    ap.add_argument("--require-nginx", action="store_true", help="fail instead of skipping when nginx is not installed")
    args = ap.parse_args()
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if nginx is None:
        if args.require_nginx:
            fail("nginx is not installed ('make test-deploy' installs it)")
        print("deploy-test: SKIPPED: nginx is not installed ('make test-deploy' installs it and runs this test)")
        return
    t0 = time.monotonic()
    # Absolute: nginx reads every relative path against its prefix (-p), the scratch folder itself.
    tmp = os.path.abspath(args.scratch or os.path.join(tempfile.gettempdir(), "deploy-test"))
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    binary = os.path.abspath(args.bin)
    procs = []
    try:
        # A self-signed certificate for localhost.
        run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
             "-keyout", f"{tmp}/digitag.key", "-out", f"{tmp}/digitag.crt"])
        http_port, https_port, app_port = free_port(), free_port(), free_port()
        site = open(CONF, encoding="utf-8").read()
        site = replace_once(site, "listen 80;", f"listen 127.0.0.1:{http_port};")
        site = replace_once(site, "listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
        site = replace_once(site, "/etc/ssl/digitag/digitag.crt", f"{tmp}/digitag.crt")
        site = replace_once(site, "/etc/ssl/digitag/digitag.key", f"{tmp}/digitag.key")
        site = replace_once(site, "http://127.0.0.1:8080", f"http://127.0.0.1:{app_port}")
        open(f"{tmp}/digitag.conf", "w", encoding="utf-8").write(site)
        # The main file that /etc/nginx/nginx.conf would be, with every path in the temp folder.
        for d in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            os.makedirs(f"{tmp}/{d}")
        main_conf = f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    include {tmp}/digitag.conf;
}}
"""
        open(f"{tmp}/nginx.conf", "w").write(main_conf)
        nginx_args = [nginx, "-p", tmp, "-c", f"{tmp}/nginx.conf", "-e", f"{tmp}/error.log"]
        check = run(nginx_args + ["-t"])
        print(f"deploy-test: nginx -t: {check.stderr.strip().splitlines()[-1]}")

        # digitag behind it, on a run of SampleData.
        run([binary, "run", "--pipeline", "Pipelines/shandong.yaml", "--input", "SampleData", "--as-of", "2024-12-31",
             "--out", f"{tmp}/runs"], cwd=ROOT)
        run([binary, "users", "add", USER, "--role", "city_analyst", "--region", "3701", "--users", f"{tmp}/users.yaml"],
            input=f"{PASSWORD}\n{PASSWORD}\n", cwd=ROOT)
        log = open(f"{tmp}/serve.log", "w")
        procs.append(subprocess.Popen(
            [binary, "serve", "--runs", f"{tmp}/runs", "--samples", f"{tmp}/samples", "--users", f"{tmp}/users.yaml",
             "--audit-log", f"{tmp}/audit.log", "--listen", f"127.0.0.1:{app_port}", "--behind-proxy"],
            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT))
        wait_for(app_port, procs[-1], "digitag serve")
        procs.append(subprocess.Popen(nginx_args + ["-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT))
        wait_for(https_port, procs[-1], "nginx")

        tls = ssl.create_default_context(cafile=f"{tmp}/digitag.crt")

        def request(method, path, body=None, headers=None, secure=True):
            c = (http.client.HTTPSConnection("localhost", https_port, context=tls, timeout=15) if secure
                 else http.client.HTTPConnection("127.0.0.1", http_port, timeout=15))
            try:
                c.request(method, path, body=body, headers=headers or {})
                r = c.getresponse()
                return r.status, r.headers, r.read()
            finally:
                c.close()

        # Plain HTTP: sent to HTTPS.
        status, headers, _ = request("GET", "/login", secure=False)
        if status != 301 or not headers.get("Location", "").startswith("https://"):
            fail(f"plain HTTP answers {status} {headers.get('Location')}, not a redirect to https://")
        # The sign-in page over TLS: HSTS, no-store (once), the sign-in token cookie Secure.
        status, headers, body = request("GET", "/login")
        if status != 200:
            fail(f"GET /login through nginx answers {status}")
        if "max-age=" not in (headers.get("Strict-Transport-Security") or ""):
            fail(f"no Strict-Transport-Security header: {dict(headers)}")
        if headers.get_all("Cache-Control") != ["no-store"]:
            fail(f"Cache-Control is {headers.get_all('Cache-Control')}, not one no-store")
        login_cookie = next((c for c in headers.get_all("Set-Cookie") or [] if c.startswith("digitag_login=")), "")
        token = login_cookie.split(";")[0].split("=", 1)[1]
        if "; Secure" not in login_cookie:
            fail(f"the sign-in cookie lacks Secure behind nginx: {login_cookie}")
        form = urllib.parse.urlencode({"user": USER, "password": PASSWORD, "csrf_token": token})
        status, headers, _ = request("POST", "/login", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"digitag_login={token}",
            "X-Forwarded-For": "6.6.6.6"})
        session = next((c for c in headers.get_all("Set-Cookie") or [] if c.startswith("digitag_session=")), "")
        if status != 303 or not session:
            fail(f"signing in through nginx answers {status}, cookie {session!r}")
        for attribute in ("; Secure", "; HttpOnly", "; SameSite=Strict"):
            if attribute not in session:
                fail(f"the session cookie lacks {attribute.strip('; ')} behind nginx: {session}")
        # A signed-in page through the proxy.
        status, _, body = request("GET", "/search", headers={"Cookie": session.split(";")[0]})
        if status != 200 or USER.encode() not in body:
            fail(f"GET /search with the session answers {status}")
        # The audit line of the sign-in: the address nginx saw, not the one the client wrote.
        lines = [json.loads(x) for x in open(f"{tmp}/audit.log", encoding="utf-8")]
        logins = [x for x in lines if x["action"] == "login" and x["outcome"] == "ok"]
        if not logins or logins[-1]["address"] != "127.0.0.1":
            fail(f"the audit log's sign-in address is {logins[-1]['address'] if logins else None}, not 127.0.0.1")
        # A body over client_max_body_size: refused by nginx.
        status, _, _ = request("POST", "/login", body=b"x" * (9 * 1024 * 1024),
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
        if status != 413:
            fail(f"a 9 MB body answers {status}, not 413")
        print(f"deploy-test: passed in {time.monotonic() - t0:.1f} s: nginx -t, HTTP→HTTPS, HSTS, no-store, Secure "
              f"session cookie, audit address from nginx (a forged X-Forwarded-For ignored), 413 over 8 MB")
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()


if __name__ == "__main__":
    main()
