"""Tests for hooks/secret_guard.py: the rule table, scan_text, the hook protocol and the CLI.

Every credential-shaped value here is built at run time from the rule table's shapes (or from
split string pieces): this file must never hold a literal that a scanner would take for a live
credential. One test checks exactly that, with the guard itself and with detect-secrets.
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
HOOK = ROOT / "hooks" / "secret_guard.py"  # the launcher
CODE = ROOT / "hooks" / "playbook_hooks" / "secret_guard.py"

from playbook_hooks import secret_guard as sg  # noqa: E402

# Pieces that would look like credentials if they were written out whole.
AWS_DOC_EXAMPLE = "AK" + "IA" + "IOSFODNN7" + "EXAMPLE"
PRAGMA = "pragma: allowlist" + " secret"


def build(shape, seed="t"):
    """(path, text) for one rule example; a bare shape gets the rule's default path."""
    path, template = shape if isinstance(shape, tuple) else ("", shape)
    return path, sg.expand_shape(template, random.Random(f"{seed}:{template}"))


def fake(template: str, seed: str = "x") -> str:
    return sg.expand_shape(template, random.Random(seed))


def gh_token(seed: str = "gh") -> str:
    return fake("ghp_{{N30}}{{crc}}", seed)


def stripe_key(seed: str = "st") -> str:
    return fake("sk_{{}}live_{{N24}}", seed)


# --- the rule table ----------------------------------------------------------------------------


def _examples(kind: str):
    for rule in sg.RULES:
        for i, shape in enumerate(rule[kind]):
            yield pytest.param(rule, shape, id=f"{rule['id']}-{i}")


def test_rule_table_shape():
    ids = [rule["id"] for rule in sg.RULES]
    assert len(ids) >= 40
    assert len(set(ids)) == len(ids)
    for rule in sg.RULES:
        assert set(rule) >= {"id", "description", "regex", "keywords", "tp", "fp"}, rule["id"]
        assert rule["tp"] and rule["fp"], rule["id"]
        assert rule["description"][0].isupper(), rule["id"]
        assert sg.compiled(rule).groupindex.get("s"), f"{rule['id']}: needs a group named s"
        if rule.get("ci"):
            assert all(k == k.lower() for k in rule["keywords"]), rule["id"]


def test_rule_table_covers_the_issue_formats():
    ids = {rule["id"] for rule in sg.RULES}
    wanted = {
        "aws-access-key-id", "aws-secret-access-key", "github-pat", "github-fine-grained-pat",
        "github-app-token", "github-oauth-token", "gitlab-pat", "slack-bot-token",
        "slack-user-token", "slack-webhook-url", "stripe-secret-key", "stripe-restricted-key",
        "google-api-key", "gcp-service-account-key", "openai-api-key", "openai-project-key",
        "anthropic-api-key", "azure-storage-account-key", "twilio-api-key", "sendgrid-api-key",
        "npm-access-token", "pypi-api-token", "huggingface-token", "discord-bot-token",
        "telegram-bot-token", "shopify-access-token", "digitalocean-token", "mailchimp-api-key",
        "docker-config-auth", "jwt", "private-key", "openssh-private-key", "pgp-private-key",
        "postgres-uri-password", "mysql-uri-password", "mongodb-uri-password",
        "redis-uri-password", "amqp-uri-password", "generic-secret-assignment",
    }
    assert wanted <= ids, wanted - ids


@pytest.mark.parametrize(("rule", "shape"), list(_examples("tp")))
def test_true_positive(rule, shape):
    path, text = build(shape)
    found = sg.scan_text(text, path or rule.get("path", ""))
    assert rule["id"] in {f.rule for f in found}, (text, found)
    for f in found:
        assert f.line >= 1 and f.col >= 1
        shown = f.preview.rstrip("…*")
        assert len(shown) <= 4
        assert f.preview.endswith(("…", "****"))


@pytest.mark.parametrize(("rule", "shape"), list(_examples("fp")))
def test_false_positive(rule, shape):
    path, text = build(shape)
    assert sg.scan_text(text, path or rule.get("path", "")) == []


def test_expand_shape_tokens():
    rng = random.Random(1)
    assert sg.expand_shape("a{{}}b", rng) == "ab"
    assert sg.expand_shape("{{X4}}", rng) == "XXXX"
    assert len(sg.expand_shape("{{N30}}", rng)) == 30
    assert sg.expand_shape("{{b64:ab:c}}", rng) == "YWI6Yw=="
    assert sg.expand_shape('{{b64u:{"a":1}}}', rng) == "eyJhIjoxfQ"


# --- scan_text behaviour -----------------------------------------------------------------------


def test_position_and_preview():
    text = "x = 1\n\ntoken_value = 2  # " + gh_token() + "\n"
    [f] = sg.scan_text(text, "app.py")
    assert (f.line, f.rule, f.preview) == (3, "github-pat", "ghp_…")
    assert text.splitlines()[2][f.col - 1:].startswith("ghp_")
    assert f == (f.line, f.col, f.rule, f.preview, f.fingerprint)
    assert f._asdict()["rule"] == "github-pat"
    assert "github-pat" in repr(f)
    assert len(f.fingerprint) == 64


def test_preview_never_shows_more_than_four_characters():
    assert sg.redact("abcdefghijklmnopqrst") == "abcd…"
    assert sg.redact("abcdefg") == "a…"
    assert sg.redact("abc") == "****"


def test_documented_aws_example_is_allowed():
    assert sg.scan_text(f"aws_access_key_id = {AWS_DOC_EXAMPLE}\n") == []


PROJECT_CODE = '''
import os
from sqlalchemy import create_engine

engine = create_engine("sqlite:///:memory:")
url = "postgresql+psycopg://user:${DB_PASSWORD}@host/db"
password = os.environ["DB_PASSWORD"]
client = Client(api_key=os.environ.get("OPENAI_API_KEY"), password=os.environ.get("PW"))
token = request.headers["Authorization"]
secret = settings.SECRET_KEY
api_key: str = Field(default=None)
max_tokens = 1024
tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
password_hash = "$2b$12$" + salt
headers = {"Authorization": f"Bearer {token}"}
if password != confirm:
    raise ValueError("password mismatch")
'''

PROJECT_MARKDOWN = """
# Config

Set `API_KEY=your-api-key` in `.env`, then:

```yaml
env:
  GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}
  DB_PASSWORD: ${DB_PASSWORD}
  password: <password>
  token: xxx
  secret: changeme
```

```bash
export OPENAI_API_KEY="$OPENAI_API_KEY"
curl -H "Authorization: Bearer $TOKEN" https://api.example.com
docker login --password-stdin < token.txt
```

```json
{"integrity": "sha512-3q2+7w==", "commit": "COMMIT", "id": "UUID"}
```
""".replace("COMMIT", fake("{{h40}}", "sha")).replace(
    "UUID", fake("{{h8}}-{{h4}}-4{{h3}}-a{{h3}}-{{h12}}", "uuid"))


@pytest.mark.parametrize(("text", "path"), [
    (PROJECT_CODE, "skills/db/SKILL.md"), (PROJECT_CODE, "app/settings.py"),
    (PROJECT_MARKDOWN, "skills/config/SKILL.md"),
])
def test_project_style_examples_are_not_flagged(text, path):
    assert sg.scan_text(text, path) == []


def test_generic_assignment_forms():
    pw = fake("{{u1}}{{l5}}{{d2}}{{s2}}{{N4}}", "pw")
    cases = [
        (f'db_pass{""}word = "{pw}"', "app.py"),
        (f"DB_PASS{''}WORD={pw}", ".env"),
        (f"  pass{''}word: {pw}", "config/app.yaml"),
        (f'{{"client_sec{""}ret": "{pw}"}}', "creds.json"),
        (f"spring.datasource.pass{''}word={pw}", "application.properties"),
        (f'api_key: str = "{pw}"', "models.py"),
        (f"<pass{''}word>{pw}</pass{''}word>", "settings.xml"),
    ]
    for text, path in cases:
        found = sg.scan_text(text, path)
        assert found, (text, path)
        assert pw not in str(found)


def test_unquoted_values_in_code_are_expressions():
    assert sg.scan_text("pass" + "word = compute_password(user)\n", "app.py") == []
    assert sg.scan_text("api_key = config.api_key\n", "app.py") == []


def test_overlapping_rules_report_once():
    text = f'api_key = "{stripe_key()}"'
    assert [f.rule for f in sg.scan_text(text, "app.py")] == ["stripe-secret-key"]


def test_inline_pragma_and_nextline():
    tok = gh_token()
    assert sg.scan_text(f"t = '{tok}'  # {PRAGMA}\n") == []
    nextline = "pragma: allowlist nextline" + " secret"
    assert sg.scan_text(f"# {nextline}\nt = '{tok}'\n") == []
    assert len(sg.scan_text(f"# {PRAGMA}\nt = '{tok}'\n")) == 1


def test_lock_files_skip_loose_rules_but_not_credentials_in_urls():
    lock = '"integrity": "sha512-' + fake("{{b86}}") + '==",\n"token": "' + fake("{{N40}}") + '"'
    assert sg.scan_text(lock, "package-lock.json") == []
    assert sg.scan_text(lock, "C:\\Users\\x\\proj\\package-lock.json") == []
    leaked = 'resolved "https://ci:' + fake("{{N20}}") + '@npm.internal/pkg.tgz"'
    assert [f.rule for f in sg.scan_text(leaked, "yarn.lock")] == ["url-basic-auth"]


def test_crlf_and_windows_paths():
    text = "a = 1\r\nb = '" + gh_token() + "'\r\n"
    [f] = sg.scan_text(text, "C:\\Users\\x\\proj\\app.py")
    assert f.line == 2


def test_empty_and_plain_text():
    assert sg.scan_text("") == []
    assert sg.scan_text("hello world\n" * 100) == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400), st.sampled_from(["", "a.py", ".env", "x.yaml", "R.md"]))
def test_scan_text_never_raises(text, path):
    for f in sg.scan_text(text, path):
        assert 1 <= f.line <= text.count("\n") + 1
        assert len(f.preview.rstrip("…*")) <= 4


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ghp_xoAKIAeyJ.:=\"' /@-+sk", max_size=300))
def test_scan_text_on_token_soup(text):
    # Every finding points into the text it came from, and previews never leak the value.
    lines = text.split("\n")
    for f in sg.scan_text(text, ".env"):
        assert 1 <= f.line <= len(lines)
        assert len(f.preview.rstrip("…*")) <= 4


PATHOLOGICAL = {
    "one char": "a" * 200_000,
    "keywords": "password=" * 22_000,
    "jwt heads": "eyJ" * 66_000,
    "base64 run": ("Ab9+/" * 40_000),
    "uri": "postgres://u:" * 15_000,
    "quotes": "token = \"" * 22_000,
    "pem": ("-----BEGIN PRIVATE" + " KEY-----") * 7000,
    "dots": "M" * 30 + ".abcdef." * 25_000,
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_single_line_is_no_credential(name):
    # Repetitive soups hold no credential; their speed is measured by benchmarks/secrets.py.
    assert sg.scan_text(PATHOLOGICAL[name], ".env") == []


def test_own_sources_hold_no_credentials():
    for path in (HOOK, CODE, Path(__file__), ROOT / "benchmarks" / "secrets.py"):
        assert sg.scan_text(path.read_text(encoding="utf-8"), str(path)) == [], path


def test_detect_secrets_finds_nothing_in_our_sources():
    pytest.importorskip("detect_secrets")
    from detect_secrets import SecretsCollection
    from detect_secrets.settings import default_settings

    secrets = SecretsCollection()
    with default_settings():
        for path in (HOOK, CODE, Path(__file__), ROOT / "benchmarks" / "secrets.py"):
            secrets.scan_file(str(path))
    assert not secrets.json(), secrets.json()


def test_docstring_explains_itself():
    doc = sg.__doc__
    for needed in ("PreToolUse", "Write|Edit|MultiEdit|NotebookEdit|Bash", PRAGMA,
                   ".secrets-allowlist", "sha256:", "rule:", "path:", "--scan", "--staged"):
        assert needed in doc, needed


def test_import_is_cheap_and_silent():
    """Importing loads neither re nor json (they cost more than the scan) and prints nothing."""
    code = (
        f"import sys; sys.path.insert(0, {str(HOOK.parent)!r}); before = set(sys.modules); "
        "from playbook_hooks import secret_guard; "
        "print(sorted({'re', 'json', 'pathlib', 'typing'} & (set(sys.modules) - before)))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env)
    assert (out.stdout, out.stderr) == ("[]\n", "")


# --- the hook protocol, through a real process --------------------------------------------------


def run_hook(payload, env=None, raw=None):
    data = raw if raw is not None else json.dumps(payload).encode()
    full_env = {k: v for k, v in os.environ.items() if k != "CLAUDE_PROJECT_DIR"}
    full_env.update(env or {})
    return subprocess.run([sys.executable, str(HOOK)], input=data, capture_output=True,
                          env=full_env, timeout=30)


def payload(tool, tool_input, cwd="C:\\Users\\x\\proj"):
    return {
        "session_id": "s1", "transcript_path": "/tmp/t.jsonl", "cwd": cwd,
        "hook_event_name": "PreToolUse", "permission_mode": "default",
        "tool_name": tool, "tool_input": tool_input, "tool_use_id": "toolu_1",
    }


def assert_blocked(proc, *expected):
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2, err
    for text in (*expected, PRAGMA, ".secrets-allowlist", "environment variable"):
        assert text in err, (text, err)
    return err


def test_hook_blocks_write_with_windows_path():
    tok = gh_token()
    content = "import os\n\nGITHUB = '" + tok + "'\n"
    proc = run_hook(payload("Write", {"file_path": "C:\\Users\\x\\proj\\app.py",
                                      "content": content}))
    err = assert_blocked(proc, "app.py:3:", "github-pat", "ghp_…", "sha256:")
    assert tok not in err and tok[4:12] not in err
    assert "C:\\Users" not in err  # shown relative to the project


def test_hook_allows_clean_write():
    proc = run_hook(payload("Write", {"file_path": "C:\\Users\\x\\proj\\app.py",
                                      "content": PROJECT_CODE}))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")


def test_hook_edit_reports_line_in_file(tmp_path):
    target = tmp_path / "settings.py"
    target.write_text("A = 1\nB = 2\nC = 3\n", encoding="utf-8")
    key = stripe_key()
    proc = run_hook(payload("Edit", {"file_path": str(target), "old_string": "C = 3",
                                     "new_string": f"C = '{key}'", "replace_all": False},
                            cwd=str(tmp_path)))
    assert_blocked(proc, "settings.py:3:", "stripe-secret-key")


def test_hook_multiedit_and_notebook():
    key = stripe_key()
    proc = run_hook(payload("MultiEdit", {"file_path": "C:\\Users\\x\\proj\\a.py", "edits": [
        {"old_string": "x", "new_string": "y"},
        {"old_string": "z", "new_string": f"k = '{key}'"},
    ]}))
    assert_blocked(proc, "a.py", "stripe-secret-key")
    proc = run_hook(payload("NotebookEdit", {
        "notebook_path": "C:\\Users\\x\\proj\\nb.ipynb", "cell_id": "c1",
        "new_source": "import os\nkey = '" + key + "'", "edit_mode": "replace"}))
    assert_blocked(proc, "nb.ipynb", "cell c1", ":2:")
    proc = run_hook(payload("NotebookEdit", {
        "notebook_path": "nb.ipynb", "cell_id": "c1", "new_source": "", "edit_mode": "delete"}))
    assert proc.returncode == 0


BASH_CASES = {
    "heredoc": "cat > .env <<'EOF'\nDEBUG=1\nGITHUB_TOKEN={tok}\nEOF",
    "echo": "echo 'GITHUB_TOKEN={tok}' >> .env",
    "printf": "printf 'token: %s\\n' '{tok}' > config.yml",
    "tee": "echo {tok} | tee -a secrets.txt",
    "sed": "sed -i 's/TOKEN=.*/TOKEN={tok}/' .env",
    "inline env": "GITHUB_TOKEN={tok} ./deploy.sh",
    "curl": "curl -H \"Authorization: token {tok}\" https://api.github.com/user",
}


@pytest.mark.parametrize("name", BASH_CASES)
def test_hook_scans_bash(name):
    command = BASH_CASES[name].format(tok=gh_token(name))
    proc = run_hook(payload("Bash", {"command": command, "description": "x"}))
    assert_blocked(proc, "Bash command", "github-pat")


@pytest.mark.parametrize("command", [
    "curl -H \"Authorization: Bearer $TOKEN\" https://api.example.com",
    "export DB_PASSWORD=\"$(vault kv get -field=password secret/db)\"",
    "echo \"API_KEY=${API_KEY}\" >> .env",
    "docker login -u bot --password-stdin < /run/secrets/token",
    "git push -u origin main && sed -i 's/version = .*/version = \"1.2.3\"/' pyproject.toml",
])
def test_hook_allows_bash_that_references_secrets(command):
    proc = run_hook(payload("Bash", {"command": command}))
    assert proc.returncode == 0, proc.stderr.decode()


def test_hook_bash_curl_basic_auth_and_password_flags():
    pw = fake("{{l4}}{{d3}}{{u3}}{{d2}}", "cli")
    for command in (f"curl -u deploy:{pw} https://ci.internal/api",
                    f"mysql -h db -u root -p{pw} app",
                    f"psql --pass{''}word={pw} -h db"):
        proc = run_hook(payload("Bash", {"command": command}))
        assert proc.returncode == 2, command


@pytest.mark.parametrize("raw", [b"", b"not json", b"[1, 2]", b'{"tool_name": "Write", "to',
                                 b"\xff\xfe", b'{"tool_name": "Write", "tool_input": "x"}'])
def test_hook_unparseable_input_is_non_blocking(raw):
    proc = run_hook(None, raw=raw)
    err = proc.stderr.decode()
    assert proc.returncode == 1
    assert err.count("\n") == 1 and err.startswith("secret_guard:")
    assert "Traceback" not in err


def test_hook_ignores_other_tools():
    proc = run_hook(payload("Read", {"file_path": "/etc/passwd"}))
    assert proc.returncode == 0


def test_hook_allowlist_file(tmp_path):
    tok, key = gh_token(), stripe_key()
    content = f"a = '{tok}'\nb = '{key}'\n"
    wr = {"file_path": str(tmp_path / "tests" / "fixtures" / "x.py"), "content": content}
    proc = run_hook(payload("Write", wr, cwd=str(tmp_path)))
    err = assert_blocked(proc, "tests/fixtures/x.py:1:", "tests/fixtures/x.py:2:")
    fingerprint = err.split("sha256:")[1].split()[0]

    allow = tmp_path / ".secrets-allowlist"
    allow.write_text("# fixtures\npath:tests/fixtures/*\n", encoding="utf-8")
    assert run_hook(payload("Write", wr, cwd=str(tmp_path))).returncode == 0

    allow.write_text(f"rule:stripe-secret-key\nsha256:{fingerprint}\nnonsense line\n",
                     encoding="utf-8")
    assert run_hook(payload("Write", wr, cwd=str(tmp_path))).returncode == 0

    allow.write_text("rule:github-pat docs/*\n", encoding="utf-8")
    proc = run_hook(payload("Write", wr, cwd=str(tmp_path)))
    assert proc.returncode == 2

    # CLAUDE_PROJECT_DIR wins over cwd.
    allow.write_text("path:*\n", encoding="utf-8")
    proc = run_hook(payload("Write", wr, cwd="C:\\elsewhere"),
                    env={"CLAUDE_PROJECT_DIR": str(tmp_path)})
    assert proc.returncode == 0


def test_hook_allowlist_applies_to_bash_targets(tmp_path):
    (tmp_path / ".secrets-allowlist").write_text("path:fixtures/*\n", encoding="utf-8")
    command = f"cat > fixtures/env.txt <<EOF\nGITHUB_TOKEN={gh_token()}\nEOF"
    assert run_hook(payload("Bash", {"command": command}, cwd=str(tmp_path))).returncode == 0
    command = f"echo GITHUB_TOKEN={gh_token()} > .env"
    assert run_hook(payload("Bash", {"command": command}, cwd=str(tmp_path))).returncode == 2


# --- the hook protocol, in process (for coverage of the failure paths) --------------------------


def call_main(argv, data=b"", monkeypatch=None):
    out, err = io.StringIO(), io.StringIO()
    code = sg.main(argv, stdin=io.BytesIO(data), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_main_in_process_block_and_allow(monkeypatch):
    monkeypatch.delenv("CLAUDE_PROJECT_DIR", raising=False)
    body = json.dumps(payload("Write", {"file_path": "/p/a.py", "content": gh_token()}, "/p"))
    code, out, err = call_main([], body.encode())
    assert code == 2 and "a.py:1:1" in err and out == ""
    body = json.dumps(payload("Write", {"file_path": "/p/a.py", "content": "x = 1"}, "/p"))
    assert call_main([], body.encode())[0] == 0


def test_main_internal_error_is_one_line(monkeypatch):
    def boom(*_a, **_k):
        raise RuntimeError("kaput")

    monkeypatch.setattr(sg, "_scan", boom)
    body = json.dumps(payload("Write", {"file_path": "a.py", "content": "x"}))
    code, _out, err = call_main([], body.encode())
    assert code == 1 and err == "secret_guard: internal error, not checked (RuntimeError: kaput)\n"


def test_json_fallback_without_c_scanner(monkeypatch):
    monkeypatch.setitem(sys.modules, "_json", None)
    assert sg.parse_json('  {"a": [1, 2.5, "x", null, true]} ') == {"a": [1, 2.5, "x", None, True]}
    with pytest.raises(ValueError):
        sg.parse_json("{")


def test_a_scanner_that_fails_without_an_error_falls_back_to_json(monkeypatch):
    def scanner(_context):
        def scan(_text, _pos):
            raise SystemError("returned NULL without setting an exception")
        return scan

    monkeypatch.setitem(sys.modules, "_json", type(sys)("_json"))
    monkeypatch.setattr(sys.modules["_json"], "make_scanner", scanner, raising=False)
    assert sg.parse_json('{"a": 1}') == {"a": 1}
    with pytest.raises(ValueError, match="Expecting property name"):
        sg.parse_json("{")


def test_json_fast_path():
    assert sg.parse_json('{"a": "\\u00e9", "b": -1e3, "c": NaN}')["a"] == "é"
    for bad in ("", "{} x", "{", "[1,]"):
        with pytest.raises(ValueError):
            sg.parse_json(bad)


def hook_pythons() -> list[str]:
    """Every Python 3.10+ on PATH that a client could start the hooks with, one per version."""
    found = {}
    for name in ["python3", *(f"python3.{minor}" for minor in range(10, 15))]:
        path = shutil.which(name)
        version = path and subprocess.run(  # empty where a pyenv shim has no such version
            [path, "-c", "import sys; sys.version_info >= (3, 10) and print(sys.version)"],
            capture_output=True, text=True, check=False).stdout.strip()
        if version:
            found.setdefault(version, path)
    return list(found.values()) or [sys.executable]


@pytest.mark.parametrize("python", hook_pythons())
@pytest.mark.parametrize("text", ["{", '{"a"', '"abc'])
def test_truncated_json_is_unreadable_input_in_a_fresh_hook_process(text, python):
    """In a hook process json is not imported yet; the C scanner's error path must still end as
    the "unreadable hook input" line, not an internal error (Python 3.11's scanner raises
    SystemError there)."""
    done = subprocess.run([python, str(ROOT / "hooks" / "secret_guard.py")], input=text,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith("secret_guard: unreadable hook input"), done.stderr


# --- the command line ------------------------------------------------------------------------


def test_cli_scan(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CLAUDE_PROJECT_DIR", raising=False)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "ok.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "src" / "bad.py").write_text(f"\nK = '{stripe_key()}'\n", encoding="utf-8")
    (tmp_path / "src" / "blob.bin").write_bytes(b"\0\1" + gh_token().encode())
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "x.js").write_text(gh_token(), encoding="utf-8")
    assert sg.main(["--scan", "src", "node_modules/../src/ok.py"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{Path('src') / 'bad.py'}:2: stripe-secret-key sk_l…"]
    assert sg.main(["--scan", "src/ok.py"]) == 0
    assert sg.main(["--scan", "."]) == 1
    assert "node_modules" not in capsys.readouterr().out
    (tmp_path / ".secrets-allowlist").write_text("path:src/bad.py\n", encoding="utf-8")
    assert sg.main(["--scan", "src"]) == 0
    assert sg.main(["--scan", "missing.txt"]) == 2
    assert "missing.txt" in capsys.readouterr().err


def test_cli_subprocess_scan_and_rules(tmp_path):
    (tmp_path / "a.env").write_text(f"GITHUB_TOKEN={gh_token()}\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(HOOK), "--scan", str(tmp_path / "a.env")],
                          capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 1 and proc.stdout.strip().endswith(":1: github-pat ghp_…")
    proc = subprocess.run([sys.executable, str(HOOK), "--list-rules"], capture_output=True,
                          text=True, encoding="utf-8")
    assert proc.returncode == 0 and len(proc.stdout.splitlines()) == len(sg.RULES)
    proc = subprocess.run([sys.executable, str(HOOK), "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "--staged" in proc.stdout


@pytest.mark.needs("git")
def test_cli_staged(tmp_path, monkeypatch, capsys):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "t@example.com")
    git("config", "user.name", "T")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CLAUDE_PROJECT_DIR", raising=False)
    (tmp_path / "clean.py").write_text("x = 1\n", encoding="utf-8")
    git("add", "clean.py")
    assert sg.main(["--staged"]) == 0

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "cfg.py").write_text(f"x = 1\nK = '{stripe_key()}'\n", encoding="utf-8")
    (tmp_path / "unstaged.py").write_text(f"K = '{gh_token()}'\n", encoding="utf-8")
    (tmp_path / "img.png").write_bytes(b"\x89PNG\0\0" + gh_token().encode())
    git("add", "sub/cfg.py", "img.png")
    capsys.readouterr()
    assert sg.main(["--staged"]) == 1
    assert capsys.readouterr().out.splitlines() == ["sub/cfg.py:2: stripe-secret-key sk_l…"]

    # The staged blob counts, not the working tree.
    (tmp_path / "sub" / "cfg.py").write_text("x = 1\n", encoding="utf-8")
    assert sg.main(["--staged"]) == 1
    git("add", "sub/cfg.py")
    assert sg.main(["--staged"]) == 0
    git("commit", "-qm", "c")


def test_cli_staged_outside_git(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert sg.main(["--staged"]) == 2
    assert capsys.readouterr().err.startswith("secret_guard:")


# --- heuristics and edge paths -------------------------------------------------------------------

PW = "pass" + "word"


@pytest.mark.parametrize(("line", "path", "flagged"), [
    (f'{PW} = "Xy7#kq9w"', "a.py", True),
    (f'{PW} = "  Xy7#kq9  "', "a.py", False),  # padded: a concatenation fragment
    (f'{PW} = "12345678901"', "a.py", False),  # digits only
    (f'{PW} = "Xy7 kq9 zzw"', "a.py", False),  # prose
    (f'{PW} = "@DB_PASSWORD"', "a.py", False),  # substitution placeholder
    (f'{PW} = "HELLO_WORLD"', "a.py", False),  # the name of a variable
    (f'{PW} = "/etc/app/pw.txt"', "a.py", False),  # a path
    (f'{PW} = "C:\\\\secrets\\\\pw"', "a.py", False),  # a Windows path
    (f'{PW} = "my.module.Backend"', "a.py", False),  # a dotted name
    (f'{PW} = "Jobs[0].Id(x)"', "a.py", False),  # an expression
    (f"{PW}=undefined", ".env", False),
    (f"{PW}=https://x.example/z", ".env", False),
    (f"{PW}=@ACCESS_KEY", ".env", False),
    (f"{PW}=settings.API_KEY", "notes.txt", False),
    (f"{PW}=hunter77", "README.md", False),  # too short to tell in prose
    (f"{PW}=Kx9mQ2wLp7Zr", "README.md", True),
    (f"{PW}=Kx9m-Q2wL", ".env", True),
    ("token=my-service-name", ".env", False),  # a name, not a token
    ("db_pass = Kx9m-Q2wL", "app.ini", True),
    ("pass_through = Kx9m-Q2wL", "app.ini", False),  # pass is not the last segment
])
def test_generic_value_heuristics(line, path, flagged):
    assert bool(sg.scan_text(line + "\n", path)) is flagged, line


def test_lowercasing_that_changes_length_falls_back_to_ignorecase():
    text = "İstanbul\n" + PW.upper() + ' = "Xy7#kq9wZ"\n'
    assert len(text.lower()) != len(text)
    [f] = sg.scan_text(text, "a.py")
    assert (f.line, f.rule) == (2, "generic-secret-assignment")


def test_helpers():
    import copy
    import re

    [f] = sg.scan_text(gh_token())
    assert copy.deepcopy(f) == f and type(copy.deepcopy(f)) is sg.Finding
    m = re.search(r"(?P<a>x)(?P<b>y)?", "x")
    assert sg._Original(m, "X").groupdict() == {"a": "X", "b": None}
    assert sg._b64decode("a") is None
    assert sg._entropy("") == 0.0
    assert sg._looks_like_code("([a-z]{4})") and not sg._looks_like_code("]3d/{pB9")
    assert sg.bash_targets("make > /dev/null 2>&1; echo x > a.txt && tee -a a.txt b.txt") == [
        "a.txt"]
    assert sg.bash_targets("sed -i.bak 's/a/b/' conf/app.ini") == ["conf/app.ini"]


def test_write_falls_back_when_the_console_cannot_encode():
    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    sg._write(stream, "ghp_…\n")
    stream.seek(0)
    assert stream.buffer.getvalue() == b"ghp_\\u2026\n"


@pytest.mark.parametrize("tool_input", [
    {"file_path": "a.py", "content": 12},
    {"file_path": "a.py", "edits": "nope"},
])
def test_wrong_field_types_are_unreadable_input(tool_input):
    tool = "MultiEdit" if "edits" in tool_input else "Write"
    code, _out, err = call_main([], json.dumps(payload(tool, tool_input)).encode())
    assert code == 1 and err.startswith("secret_guard: unreadable hook input")


def test_cli_scan_skips_big_files_and_reports_unreadable_ones(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "big.txt").write_text("x = '" + gh_token() + "'\n", encoding="utf-8")
    (tmp_path / "locked.txt").write_text("x\n", encoding="utf-8")
    monkeypatch.setattr(sg, "MAX_SCAN_BYTES", 10)
    assert sg.main(["--scan", "big.txt"]) == 0
    monkeypatch.setattr(sg, "MAX_SCAN_BYTES", 10_000)
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert sg.main(["--scan", "."]) == 2
    captured = capsys.readouterr()
    assert "big.txt:1: github-pat" in captured.out
    assert "cannot read locked.txt: Permission denied" in captured.err


# --- PowerShell (Windows without Git Bash) ------------------------------------------------------


@pytest.mark.parametrize("template", [
    "Set-Content -Path .env -Value 'GITHUB_TOKEN={tok}'",
    "'{tok}' | Out-File -FilePath token.txt",
    "Add-Content config.yml \"token: {tok}\"",
    "echo '{tok}' > token.txt",
    "@\"\n[auth]\ntoken = {tok}\n\"@ | Set-Content auth.ini",
    "@'\ntoken: {tok}\n'@ > auth.yml",
    "[IO.File]::WriteAllText('t.txt', '{tok}')",
])
def test_hook_blocks_credentials_written_through_powershell(template):
    command = template.format(tok=gh_token())
    proc = run_hook(payload("PowerShell", {"command": command}))
    err = assert_blocked(proc, "PowerShell command", "github-pat")
    assert "blocked PowerShell" in err and "would run" in err


def test_powershell_write_targets_are_read():
    command = ("Set-Content -Path .env -Value x; 'a' | Out-File creds.ini; "
               "Add-Content -LiteralPath notes.txt y; [IO.File]::WriteAllText(\"w.txt\", $s)")
    assert sg.bash_targets(command, powershell=True) == [".env", "creds.ini", "notes.txt", "w.txt"]


def test_hook_allowlist_applies_to_powershell_targets(tmp_path):
    (tmp_path / ".secrets-allowlist").write_text("path:fixtures/*\n", encoding="utf-8")
    command = f"Set-Content -Path fixtures/token.txt -Value '{gh_token()}'"
    proc = run_hook(payload("PowerShell", {"command": command}, cwd=str(tmp_path)))
    assert proc.returncode == 0, proc.stderr


def test_hook_allows_clean_powershell():
    proc = run_hook(payload("PowerShell", {"command": "Get-ChildItem | Out-File files.txt"}))
    assert (proc.returncode, proc.stderr) == (0, b"")
