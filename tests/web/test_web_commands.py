"""`verifier serve` and `verifier users`, through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from verifier.cli import app

runner = CliRunner()


def test_users_add_and_token(db_url, make_client, password):
    r = runner.invoke(app, ["users", "add", "kim", "--password-stdin", "--db", db_url], input=password + "\n")
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["users", "add", "kim", "--password-stdin", "--db", db_url], input=password + "\n")
    assert r.exit_code == 2 and "already exists" in r.output
    r = runner.invoke(app, ["users", "add", "lee", "--password-stdin", "--db", db_url], input="short\n")
    assert r.exit_code == 2 and "at least 8 characters" in r.output
    r = runner.invoke(app, ["users", "add", "two words", "--password-stdin", "--db", db_url], input=password + "\n")
    assert r.exit_code == 2 and "without spaces" in r.output

    r = runner.invoke(app, ["users", "token", "kim", "--db", db_url])
    assert r.exit_code == 0
    token = r.stdout.strip()
    assert token.startswith("vf_")
    client = make_client()
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()["name"] == "kim"
    assert client.post("/api/login", json={"name": "kim", "password": password}).status_code == 200
    r = runner.invoke(app, ["users", "token", "nobody", "--db", db_url])
    assert r.exit_code == 2 and "no user named 'nobody'" in r.output


def test_users_add_prompts_for_the_password(tmp_path, password):
    r = runner.invoke(app, ["users", "add", "ana"], input=f"{password}\n{password}\n")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "home" / "verifier.db").exists()  # default database in $VERIFIER_HOME


def test_serve_refuses_no_auth_off_localhost():
    r = runner.invoke(app, ["serve", "--host", "0.0.0.0", "--no-auth"])
    assert r.exit_code == 2 and "only allowed on localhost" in r.output
    r = runner.invoke(app, ["serve", "--verifier-factory", "nonsense"])
    assert r.exit_code == 2 and "module:function" in r.output


def test_cli_cold_start_does_not_import_the_web_stack():
    code = ("import sys, verifier.cli; "
            "print(sorted(m for m in ('fastapi', 'uvicorn', 'sqlalchemy', 'starlette', 'argon2', 'trafilatura') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_serve_runs_a_real_server(tmp_path, free_tcp_port):
    env = {**os.environ, "VERIFIER_HOME": str(tmp_path / "home")}
    db = tmp_path / "served.db"
    proc = subprocess.Popen([sys.executable, "-m", "verifier.cli", "serve", "--port", str(free_tcp_port),
                             "--db", str(db)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{free_tcp_port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/openapi.json", timeout=2) as resp:
                    assert json.load(resp)["info"]["title"] == "verifier"
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(base + "/api/articles", timeout=5)
        assert e.value.code == 401
    finally:
        proc.terminate()
        proc.wait(10)
    assert Path(db).exists()


@pytest.mark.parametrize("args", [["serve"], ["users", "add", "bob", "--password-stdin"], ["users", "token", "bob"]])
def test_web_commands_without_the_web_extra_say_what_to_install(args, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "uvicorn" else real(name, *a))
    result = CliRunner().invoke(app, args, input="pw\n")
    assert result.exit_code == 2
    assert "pip install -e '.[web]'" in result.stderr and "uvicorn missing" in result.stderr
