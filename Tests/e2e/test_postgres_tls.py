"""PostgreSQL over TLS: `sslmode=verify-full` connects to a server whose certificate chains to the given CA and names
the host, and refuses one signed by another CA with a clear message. Against a throwaway cluster with ssl=on and a
certificate made here with the openssl command.
"""
import os
import pathlib
import shutil
import subprocess
import tempfile

from test_service import BINARY, ROOT


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=cwd)


def make_ca(folder, name):
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={name}",
            "-keyout", f"{name}.key", "-out", f"{name}.crt", cwd=folder)


def test_verify_full_checks_the_server_certificate(tmp_path):
    certs = tmp_path / "certs"
    certs.mkdir()
    make_ca(certs, "right-ca")
    make_ca(certs, "wrong-ca")
    (certs / "san.cnf").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr", cwd=certs)
    openssl("x509", "-req", "-in", "server.csr", "-CA", "right-ca.crt", "-CAkey", "right-ca.key", "-CAcreateserial", "-days", "2",
            "-extfile", "san.cnf", "-out", "server.crt", cwd=certs)

    # The server runs as the postgres user when we are root, so its folder must be reachable outside pytest's 0700 tree.
    cluster = pathlib.Path(tempfile.mkdtemp(prefix="countersign-tls-"))
    os.chmod(cluster, 0o755)
    url = subprocess.run([str(ROOT / "Tests/support/postgres.sh"), "start", str(cluster)], check=True, capture_output=True,
                         text=True).stdout.strip()
    try:
        data = cluster / "data"
        for name in ("server.crt", "server.key"):
            shutil.copy(certs / name, data / name)
            os.chmod(data / name, 0o600)
            if os.getuid() == 0:
                shutil.chown(data / name, "postgres", "postgres")
        plain = url.split("?")[0]
        for setting in ("ssl = on", "ssl_cert_file = 'server.crt'", "ssl_key_file = 'server.key'"):
            subprocess.run(["psql", plain, "-qc", f"ALTER SYSTEM SET {setting}"], check=True, capture_output=True)
        subprocess.run(["psql", plain, "-qc", "SELECT pg_reload_conf()"], check=True, capture_output=True)

        def petition_list(query):
            return subprocess.run([str(BINARY), "petition", "list", "--database", f"{plain}?{query}"],
                                  capture_output=True, text=True, timeout=60, cwd=tmp_path)

        right = petition_list(f"sslmode=verify-full&sslrootcert={certs / 'right-ca.crt'}")
        assert right.returncode == 0, right.stderr
        wrong = petition_list(f"sslmode=verify-full&sslrootcert={certs / 'wrong-ca.crt'}")
        assert wrong.returncode != 0
        assert "certificate" in (wrong.stdout + wrong.stderr).lower(), wrong.stderr
        assert petition_list("sslmode=require").returncode == 0
        # As in libpq, require with a root certificate checks the chain (verify-ca): the wrong CA is refused.
        assert petition_list(f"sslmode=require&sslrootcert={certs / 'right-ca.crt'}").returncode == 0
        chained = petition_list(f"sslmode=require&sslrootcert={certs / 'wrong-ca.crt'}")
        assert chained.returncode != 0 and "certificate" in (chained.stdout + chained.stderr).lower(), chained.stderr
        bogus = petition_list("sslmode=sometimes")
        assert bogus.returncode != 0 and "verify-full" in bogus.stderr
    finally:
        subprocess.run([str(ROOT / "Tests/support/postgres.sh"), "stop", str(cluster)], capture_output=True)
