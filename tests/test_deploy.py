"""deploy/nginx.conf as an operator installs it: loaded by the nginx Debian ships (`nginx -t`),
and serving the site through it, TLS, proxy headers and micro-cache included."""

import http.client
import os
import pwd
import shutil
import ssl
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import sqlite_pass_only
from tests.outside_tools import unavailable
from tests.servers import free_port, production_server, wait_for

pytestmark = pytest.mark.long

HOST = "xinjing.example.org"


@pytest.fixture
def nginx() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if found is None or shutil.which("openssl") is None:
        unavailable("nginx or openssl not found (apt-get install nginx-light)", "REQUIRE_NGINX")
    return found


def certificate_for(host: str, folder: Path) -> Path:
    """A self-signed certificate and key for `host` in `folder`; returns the certificate."""
    folder.mkdir()
    subprocess.run(
        [
            shutil.which("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
            "-days", "1", "-subj", f"/CN={host}",
            "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return folder / "fullchain.pem"


def installed(folder: Path, upstream: int) -> tuple[Path, int]:
    """deploy/nginx.conf with this machine's ports and folders in place of a server's, inside
    the main configuration Debian's nginx.conf would give it; returns it and its TLS port."""
    https = free_port()
    certificates = certificate_for(HOST, folder / "ssl").parent
    site = (Path(settings.BASE_DIR) / "deploy" / "nginx.conf").read_text()
    for server_value, here in {
        "listen 80;": f"listen 127.0.0.1:{free_port()};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https} ssl http2;",
        "/etc/ssl/xinjing/": f"{certificates}/",
        "/var/cache/nginx/xinjing": str(folder / "cache"),
        "/srv/xinjing/": f"{folder}/",
        "127.0.0.1:8000": f"127.0.0.1:{upstream}",
    }.items():
        assert server_value in site, server_value
        site = site.replace(server_value, here)
    (folder / "site.conf").write_text(site)
    temporary = " ".join(
        f"{kind}_temp_path {folder}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = folder / "nginx.conf"
    main.write_text(
        f"user {pwd.getpwuid(os.geteuid()).pw_name};\n"
        f"pid {folder}/nginx.pid;\n"
        f"error_log {folder}/error.log;\n"
        "events {}\n"
        f"http {{ access_log off; {temporary} include /etc/nginx/mime.types;\n"
        f"       include {folder}/site.conf; }}\n"
    )
    return main, https


def test_the_deploy_configuration_loads_in_debians_nginx(nginx, tmp_path):
    """`nginx -t` accepts the file (it once used a directive nginx 1.22 does not know)."""
    main, _port = installed(tmp_path, upstream=free_port())
    result = subprocess.run(
        [nginx, "-t", "-c", str(main), "-p", str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@sqlite_pass_only
def test_a_page_is_served_through_the_deploy_configuration(nginx, tmp_path):
    """Over TLS through nginx to gunicorn: the page, its canonical address, the proxy's scheme
    and the 5-second micro-cache (a miss, then a hit)."""
    (tmp_path / "app").mkdir()
    with production_server(tmp_path / "app", host=HOST) as upstream:
        (tmp_path / "static").mkdir()
        (tmp_path / "media").mkdir()
        main, https = installed(tmp_path, upstream)
        server = subprocess.Popen(
            [nginx, "-c", str(main), "-p", str(tmp_path), "-g", "daemon off;"]
        )
        # Our own certificate, for the site's name; the connection itself goes to 127.0.0.1.
        trust = ssl.create_default_context(cafile=tmp_path / "ssl" / "fullchain.pem")
        trust.check_hostname = False
        wait_for(https)
        try:
            answers = []
            for _ in range(2):
                connection = http.client.HTTPSConnection(
                    "127.0.0.1", https, timeout=30, context=trust
                )
                connection.request("GET", "/", headers={"Host": HOST})
                response = connection.getresponse()
                answers.append(
                    (response.status, response.getheader("X-Micro-Cache"), response.read())
                )
                connection.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    (first_status, first_cache, page), (second_status, second_cache, _) = answers
    assert (first_status, second_status) == (200, 200)
    assert (first_cache, second_cache) == ("MISS", "HIT")
    assert f'<link rel="canonical" href="https://{HOST}/">'.encode() in page
