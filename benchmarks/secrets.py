"""Benchmark hooks/secret_guard.py: precision and recall next to detect-secrets, and speed.

    python benchmarks/secrets.py [--runs N] [--corpus PATH]

Prints figures, checks nothing. First, when the external corpus is there (`--corpus`, by default
../shared/secret-corpus/dev.jsonl beside the repository: other scanners' own test cases, see its
README), precision and recall of the guard and of detect-secrets on each variant (context: the
source's text; neutral: the value alone), recall by provider, the false positives (values cut to
their first 4 characters, never whole) and the slowest case (on the dev split, context variant:
the guard 0.945 / 0.781, detect-secrets 1.5.0 0.799 / 0.583; neutral recall 0.082 and 0.096;
the issue asks 0.93 / 0.75). Then, on a labelled corpus it generates (realistic small files,
each holding one fake credential or only decoys: placeholders, documented examples, lock files,
hashes, UUIDs, git SHAs, public and publishable keys, encrypted blobs), it reports file-level
precision and recall of the guard and of detect-secrets (default plugins and filters) in the same
run. Then the hook's latency as Claude Code pays it (a fresh interpreter per call, payload on
stdin) next to a bare interpreter start measured in the same run, on 10 KB payloads, a 1 MB
payload and 200 KB single-line pathological payloads.

The fake credentials are random, built at run time from templates (see expand_shape in the
hook): this file holds no literal that looks like a live credential.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from timing import interleaved, timed  # benchmarks/timing.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
HOOK = ROOT / "hooks" / "secret_guard.py"  # the launcher Claude Code runs
CORPUS = ROOT.parent / "shared" / "secret-corpus" / "dev.jsonl"
sys.path.insert(0, str(ROOT / "hooks"))

from playbook_hooks import secret_guard as guard  # noqa: E402

# (kind, file name, template). {{N36}} etc. are random runs (see the hook's _charsets);
# {{}} is empty and only splits words that a scanner would read in this source file.
POSITIVES = [
    ("aws-credentials", ".aws/credentials",
     "[default]\naws_access_key_id = AKIA{{w16}}\naws_secret_access_key = {{b40}}\n"
     "region = eu-west-1\n"),
    ("aws-boto3", "upload.py",
     'import boto3\n\ns3 = boto3.client(\n    "s3",\n    aws_access_key_id="AKIA{{w16}}",\n'
     '    region_name="us-east-1",\n)\n'),
    ("aws-secret-ci", ".github/workflows/deploy.yml",
     "jobs:\n  deploy:\n    env:\n      AWS_REGION: us-east-1\n"
     "      AWS_SECRET_ACCESS_KEY: {{b40}}\n"),
    ("github-classic", ".env", "DEBUG=false\nGITHUB_TOKEN=ghp_{{N30}}{{crc}}\nPORT=8000\n"),
    ("github-fine-grained", ".github/workflows/release.yml",
     "env:\n  GH_TOKEN: github_pat_{{N22}}_{{N59}}\nsteps:\n  - run: gh release create\n"),
    ("github-app", "clone.sh",
     "#!/bin/sh\ngit clone "
     "https:/{{}}/x-access-token:ghs_{{N30}}{{crc}}@github.com/acme/app.git\n"),
    ("github-oauth", "hosts.yml",
     "github.com:\n    user: octo\n    oauth_token: gho_{{N30}}{{crc}}\n    git_protocol: https\n"),
    ("gitlab-pat", ".gitlab-ci.yml",
     "variables:\n  GITLAB_TOKEN: glpat-{{B20}}\nbuild:\n  script: make\n"),
    ("slack-bot", "notify.py",
     'from slack_sdk import WebClient\n\n'
      'client = WebClient(token="xoxb-{{d12}}-{{d13}}-{{N24}}")\n'),
    ("slack-user", "slack.yaml", "slack:\n  user_token: xoxp-{{d12}}-{{d12}}-{{d13}}-{{h32}}\n"),
    ("slack-webhook", "alert.js",
     'await fetch("https://hooks.slack.com/services/T{{U10}}/B{{U10}}/{{N24}}", {\n'
     '  method: "POST", body: JSON.stringify({ text }) });\n'),
    ("stripe-live", "billing/settings.py",
     'import stripe\n\nstripe.api{{}}_key = "sk_live_{{N24}}"\nCURRENCY = "eur"\n'),
    ("stripe-restricted", ".env", "STRIPE_KEY=rk_live_{{N24}}\n"),
    ("google-api", "maps.ts",
     'export const config = {\n  mapsKey: "AIza{{B35}}",\n  zoom: 12,\n};\n'),
    ("gcp-service-account", "service-account.json",
     '{\n  "type": "service_account",\n  "project_id": "acme-{{l6}}",\n'
     '  "private_key_id": "{{h40}}",\n  "private_key": "-----BEGIN PRIVATE{{}} KEY-----\\n'
     '{{b64}}\\n{{b64}}\\n-----END PRIVATE{{}} KEY-----\\n",\n'
     '  "client_email": "ci@acme-{{l6}}.iam.gserviceaccount.com"\n}\n'),
    ("openai-legacy", ".env", "OPENAI_API_KEY=sk-{{N20}}T3B{{}}lbkFJ{{N20}}\n"),
    ("openai-project", "chat.py",
     'from openai import OpenAI\n\n'
     'client = OpenAI(api{{}}_key="sk-proj-{{B74}}T3B{{}}lbkFJ{{B74}}")\n'),
    ("anthropic", "setup.sh", "export ANTHROPIC_API_KEY=sk-ant-api03-{{B93}}AA\npython app.py\n"),
    ("azure-storage", "appsettings.json",
     '{\n  "Storage": "DefaultEndpointsProtocol=https;AccountName=acme{{a6}};'
     'AccountKey={{b86}}==;EndpointSuffix=core.windows.net"\n}\n'),
    ("twilio", ".env", "TWILIO_ACCOUNT_SID=AC{{h32}}\nTWILIO_API_KEY=SK{{h32}}\n"),
    ("sendgrid", "mail.py", 'sg = SendGridAPIClient("SG.{{B22}}.{{B43}}")\n'),
    ("npm", ".npmrc", "//registry.npmjs.org/:_auth{{}}Token=npm_{{N36}}\n"),
    ("pypi", ".pypirc",
     "[pypi]\nusername = __token__\npass{{}}word = pypi-AgEIcHlwaS5vcmc{{B120}}\n"),
    ("huggingface", "train.ipynb",
     'from huggingface_hub import login\nlogin(token="hf_{{u2}}{{l2}}{{N30}}")\n'),
    ("discord", "bot.py",
     "import discord\n\nbot = discord.Client(intents=intents)\n"
     'bot.run("{{b64u:{{d18}}}}.{{B6}}.{{B38}}")\n'),
    ("telegram", ".env", "TELEGRAM_BOT_TOKEN={{d10}}:AA{{B33}}\n"),
    ("shopify", "shop.rb",
     'ShopifyAPI::Context.setup(api_key: "k", access_token: "shpat_{{h32}}")\n'),
    ("digitalocean", "terraform.tfvars", 'do_token = "dop_v1_{{h64}}"\nregion   = "ams3"\n'),
    ("mailchimp", "newsletter.php", "<?php\n$mc = new MailchimpMarketing\\ApiClient();\n"
     "$mc->setConfig(['apiKey' => '{{h32}}-us{{d1}}', 'server' => 'us6']);\n"),
    ("docker-auth", ".docker/config.json",
     '{\n  "auths": {\n    "registry.acme.io": {\n      "auth": "{{b64:ci-bot:{{N24}}}}"\n'
     "    }\n  }\n}\n"),
    ("jwt", "api.http",
     "GET https://api.acme.io/v1/me\nAuthorization: Bearer "
     '{{b64u:{"alg":"RS256","typ":"JWT"}}}.{{b64u:{"sub":"{{d9}}","scope":"admin"}}}.{{B86}}\n'),
    ("rsa-key", "deploy/id_rsa",
     "-----BEGIN RSA PRIVATE{{}} KEY-----\n{{b64}}\n{{b64}}\n{{b64}}\n"
     "-----END RSA PRIVATE{{}} KEY-----\n"),
    ("openssh-key", "keys/ci_ed25519",
     "-----BEGIN OPENSSH PRIVATE{{}} KEY-----\n{{b70}}\n{{b70}}\n"
     "-----END OPENSSH PRIVATE{{}} KEY-----\n"),
    ("pgp-key", "backup.asc",
     "-----BEGIN PGP PRIVATE{{}} KEY BLOCK-----\n\n{{b64}}\n{{b64}}\n=Ab12\n"
     "-----END PGP PRIVATE{{}} KEY BLOCK-----\n"),
    ("postgres-uri", "docker-compose.yml",
     "services:\n  api:\n    environment:\n"
     "      DATABASE_URL: postgresql://api:{{P18}}@db:5432/api\n"),
    ("mysql-uri", "config.py",
     'SQLALCHEMY_DATABASE_URI = "mysql+pymysql://app:{{P16}}@mysql.acme.internal/app"\n'),
    ("mongodb-uri", ".env",
     "MONGO_URL=mongodb+srv://svc:{{P20}}@cluster0.{{a5}}.mongodb.net/app?retryWrites=true\n"),
    ("redis-uri", "settings.py", 'CACHES = {"default": {"LOCATION": "redis://:{{P24}}@cache:6379/1"}}\n'),
    ("amqp-uri", "celeryconfig.py", 'broker_url = "amqps://worker:{{P16}}@mq.acme.internal:5671//"\n'),
    ("yaml-password", "config/database.yml",
     "production:\n  adapter: postgresql\n  username: app\n"
      "  pass{{}}word: {{u1}}{{l5}}{{s1}}{{d3}}{{s1}}\n"),
    ("env-password", ".env.production", "DB_HOST=db\nDB_PASS{{}}WORD={{l4}}{{s2}}{{d2}}{{u3}}\n"),
    ("json-secret", "config/prod.json",
     '{\n  "oauth": {\n    "clientId": "acme-web",\n    "clientSecret": "{{N32}}"\n  }\n}\n'),
    ("python-api-key", "weather.py", 'API_KEY = "{{h32}}"\nBASE = "https://api.weather.test"\n'),
    ("properties-token", "application.properties",
     "server.port=8080\napp.auth.token={{N40}}\n"),
    ("toml-client-secret", "pyproject.toml",
     '[tool.acme]\nclient_id = "web"\nclient_sec{{}}ret = "{{N40}}"\n'),
    ("bash-heredoc", "<bash>",
     "cat > .env <<'EOF'\nDB_USER=app\nDB_PASS{{}}WORD={{u2}}{{l4}}{{d3}}{{s1}}\nEOF\n"),
    ("bash-echo", "<bash>", "echo \"API_KEY={{N32}}\" >> .env\n"),
    ("bash-curl-user", "<bash>", "curl -u deploy:{{l5}}{{d3}}{{u2}} https://ci.acme.internal/api/build\n"),
    ("bash-curl-bearer", "<bash>",
     "curl -H \"Authorization: Bearer {{B48}}\" https://api.acme.io/v1/items\n"),
    ("bash-mysql", "<bash>", "mysqldump -h db -u root -p{{l4}}{{d4}}{{u2}} shop > dump.sql\n"),
    ("k8s-secret", "k8s/secret.yaml",
     "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n"
     "  pass{{}}word: {{u1}}{{l6}}{{d2}}{{s1}}{{l2}}\n"),
    ("actions-hardcoded", ".github/workflows/test.yml",
     "jobs:\n  test:\n    env:\n      DB_PASS{{}}WORD: {{l3}}{{d2}}{{u3}}{{s1}}{{l3}}\n"),
    ("spring-password", "application.yml",
     "spring:\n  datasource:\n    url: jdbc:postgresql://db/app\n"
      "    pass{{}}word: {{l6}}{{d3}}{{s1}}\n"),
    ("maven-settings", "settings.xml",
     "<settings><servers><server><id>nexus</id><username>ci</username>"
     "<pass{{}}word>{{u2}}{{l4}}{{d3}}{{s1}}</pass{{}}word></server></servers></settings>\n"),
    ("netrc", ".netrc", "machine git.acme.internal\nlogin ci\npass{{}}word {{l5}}{{d3}}{{u2}}\n"),
    ("go-token", "client.go",
     'package main\n\nvar cfg = Config{\n\tEndpoint: "https://api.acme.io",\n'
     '\tToken:    "{{N40}}",\n}\n'),
    ("ado-connection", "appsettings.Production.json",
     '{"ConnectionStrings": {"Main": "Server=sql.acme.internal;Database=app;User Id=app;'
     'Password={{P16}};"}}\n'),
    ("vault-token", ".envrc", "export VAULT_ADDR=https://vault.acme.internal\n"
     "export VAULT_TOKEN=hvs.{{B24}}\n"),
    ("age-key", "keys.txt", "# created: 2024-05-01\n# public key: age1{{z58}}\n"
     "AGE-SECRET-KEY-1{{Z58}}\n"),
    ("ansible-inventory", "inventory.ini",
     "[web]\n"
      "web1 ansible_host=10.0.0.5 ansible_user=deploy ansible_pass{{}}word={{u1}}{{l5}}{{d3}}\n"),
    ("terraform-default", "variables.tf",
     'variable "db_pass{{}}word" {\n  type    = string\n  default = "{{u1}}{{l6}}{{d2}}{{s1}}"\n'
     '}\n'),
    ("groq", "llm.py", 'client = Groq(api{{}}_key="gsk_{{N52}}")\n'),
    ("replicate", ".env", "REPLICATE_API_TOKEN=r8_{{N37}}\n"),
    ("dockerhub-pat", ".github/workflows/image.yml",
     "- uses: docker/login-action@v3\n  with:\n    username: acme\n"
     "    pass{{}}word: dckr_pat_{{B27}}\n"),
    ("sendgrid-env", "docker-compose.override.yml",
     "services:\n  mail:\n    environment:\n      - SENDGRID_API_KEY=SG.{{B22}}.{{B43}}\n"),
    ("generic-php", "config.php", "<?php\nreturn [\n"
     "    'db_pass{{}}word' => '{{u1}}{{l5}}{{d2}}{{s1}}{{l2}}',\n];\n"),
]

DECOYS = [
    ("aws-doc-example", "README.md",
     "Configure the CLI:\n\n```\naws_access_key_id = AK{{}}IAIOSFODNN7EXAMPLE\n"
     "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/{{}}bPxRfiCYEXAMPLEKEY\n```\n"),
    ("env-example", ".env.example",
     "OPENAI_API_KEY=your-api-key\nDB_PASS{{}}WORD=changeme\nSECRET_KEY=xxx\n"
      "GITHUB_TOKEN=<token>\n"),
    ("environ-reads", "settings.py",
     'import os\n\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\n'
     'DB_PASS{{}}WORD = os.environ.get("DB_PASS{{}}WORD", "")\napi_key = os.getenv("API_KEY")\n'),
    ("actions-secrets", ".github/workflows/ci.yml",
     "env:\n  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n"
      "  DB_PASS{{}}WORD: ${{ secrets.DB_PASS{{}}WORD }}\n"),
    ("compose-vars", "docker-compose.yml",
     "services:\n  db:\n    environment:\n      POSTGRES_PASS{{}}WORD: ${POSTGRES_PASS{{}}WORD}\n"
     "      DATABASE_URL: postgresql+psycopg://user:${DB_PASS{{}}WORD}@db/app\n"),
    ("k8s-secret-ref", "k8s/deploy.yaml",
     "env:\n  - name: DB_PASS{{}}WORD\n    valueFrom:\n      secretKeyRef:\n"
     "        name: db-credentials\n        key: pass{{}}word\n"),
    ("package-lock", "package-lock.json",
     '{\n  "node_modules/left-pad": {\n    "version": "1.3.0",\n    "resolved": '
     '"https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz",\n'
     '    "integrity": "sha512-{{b86}}=="\n  }\n}\n'),
    ("yarn-lock", "yarn.lock",
     'left-pad@^1.3.0:\n  version "1.3.0"\n  resolved "https://registry.yarnpkg.com/left-pad/-/'
     'left-pad-1.3.0.tgz#{{h40}}"\n  integrity sha512-{{b86}}==\n'),
    ("poetry-lock", "poetry.lock",
     '[[package]]\nname = "requests"\nfiles = [\n    {file = "requests-2.32.3.tar.gz", '
     'hash = "sha256:{{h64}}"},\n]\n'),
    ("go-sum", "go.sum",
     "github.com/google/uuid v1.6.0 h1:{{b43}}=\n"
      "github.com/google/uuid v1.6.0/go.mod h1:{{b43}}=\n"),
    ("cargo-lock", "Cargo.lock",
     '[[package]]\nname = "serde"\nversion = "1.0.200"\nchecksum = "{{h64}}"\n'),
    ("git-log", "CHANGELOG.md",
     "## 1.4.0\n\n- {{h40}} fix the parser\n- {{h40}} add retries\n"),
    ("uuid-fixtures", "fixtures/users.json",
     '[{"id": "{{h8}}-{{h4}}-4{{h3}}-a{{h3}}-{{h12}}", "name": "Ada"},\n'
     ' {"id": "{{h8}}-{{h4}}-4{{h3}}-b{{h3}}-{{h12}}", "name": "Bob"}]\n'),
    ("ssh-public", "authorized_keys",
     "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{{b43}} ci@acme\n"
      "ssh-rsa AAAAB3NzaC1yc2E{{b300}} ada@lap\n"),
    ("pem-public", "certs/ca.pem",
     "-----BEGIN CERTIFICATE-----\n{{b64}}\n{{b64}}\n-----END CERTIFICATE-----\n"),
    ("stripe-publishable", "checkout.js",
     'const stripe = Stripe("pk_live_{{N99}}");\nconst elements = stripe.elements();\n'),
    ("mapbox-public", "map.js",
     'mapboxgl.accessToken = "pk.eyJ1IjoiYWNtZSIsImEiOiJ{{B20}}In0.{{B22}}";\n'),
    ("doc-placeholders", "docs/setup.md",
     "Set `token: <token>` and `pass{{}}word: xxx`, then run:\n\n"
     "    curl -H 'Authorization: Bearer <YOUR_TOKEN>' https://api.acme.io\n"),
    ("getpass", "login.py", 'import getpass\n\npass{{}}word = getpass.getpass("Password: ")\n'),
    ("bcrypt-hash", "fixtures/users.yaml",
     "- email: ada@example.com\n  password_hash: $2b$12${{B53}}\n"),
    ("sha256sums", "SHA256SUMS",
     "{{h64}}  app-1.4.0-linux-amd64.tar.gz\n{{h64}}  app-1.4.0-darwin-arm64.tar.gz\n"),
    ("pip-hashes", "requirements.txt",
     "requests==2.32.3 \\\n    --hash=sha256:{{h64}} \\\n    --hash=sha256:{{h64}}\n"),
    ("docker-digest", "Dockerfile", "FROM python:3.12-slim@sha256:{{h64}}\nRUN pip install app\n"),
    ("sri", "index.html",
     '<script src="/app.js" integrity="sha384-{{b64}}" crossorigin="anonymous"></script>\n'),
    ("data-uri", "style.css", ".logo { background: url(data:image/png;base64,{{b300}}=); }\n"),
    ("trace-ids", "trace.log",
     "trace_id={{h32}} span_id={{h16}} status=ok\ntrace_id={{h32}} span_id={{h16}} status=ok\n"),
    ("aws-arn", "policy.json",
     '{"Principal": {"AWS": "arn:aws:iam::{{d12}}:role/deploy"}, "Action": "s3:GetObject"}\n'),
    ("jwt-io-sample", "docs/auth.md",
     "A token looks like this:\n\n    "
     '{{b64u:{"alg":"HS256","typ":"JWT"}}}.'
     '{{b64u:{"sub":"1234567890","name":"John Doe","iat":1516239022}}}.{{B43}}\n'),
    ("slack-doc-webhook", "docs/slack.md",
     "Paste your URL, e.g. https://hooks.slack{{}}.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\n"),
    ("sqlite-memory", "db.py",
     'engine = create_engine("sqlite:///:memory:")\n'
     'other = create_engine("redis://localhost:6379/0")\n'),
    ("amqp-default", "celery.py", 'broker_url = "amqp:/{{}}/guest:guest@localhost:5672//"\n'),
    ("postgres-dev-default", "docker-compose.dev.yml",
     "environment:\n  DATABASE_URL: postgres:/{{}}/postgres:postgres@localhost:5432/postgres\n"),
    ("curl-env-token", "<bash>", 'curl -H "Authorization: Bearer $TOKEN" https://api.acme.io/v1\n'),
    ("docker-login-stdin", "<bash>",
     'echo "$CR_PAT" | docker login ghcr.io -u acme --pass{{}}word-stdin\n'),
    ("ts-interface", "types.ts",
     "export interface Login {\n  username: string;\n  pass{{}}word: string;\n"
      "  token?: string;\n}\n"),
    ("html-form", "login.html",
     '<input type="pass{{}}word" name="pass{{}}word" autocomplete="current-pass{{}}word">\n'),
    ("validation", "validate.py",
     "def check(pass{{}}word: str) -> None:\n    if len(pass{{}}word) < 12:\n"
     '        raise ValueError("pass{{}}word too short")\n'),
    ("llm-params", "generate.py",
     'out = model.generate(max_tokens=4096, temperature=0.2)\ntokenizer = "cl100k_base"\n'),
    ("terraform-var", "main.tf",
     'resource "aws_db_instance" "db" {\n  pass{{}}word = var.db_pass{{}}word\n}\n'),
    ("ansible-vault", "group_vars/all.yml",
     "db_pass{{}}word: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  {{h64}}\n  {{h64}}\n"),
    ("sops", "secrets.enc.yaml",
     "pass{{}}word: ENC[AES256_GCM,data:{{b24}},iv:{{b43}}=,tag:{{b22}}==,type:str]\n"),
    ("rails-erb", "config/secrets.yml",
     'production:\n  secret_key_base: <%= ENV["SECRET_KEY_BASE"] %>\n'),
    ("spring-placeholder", "application.properties",
     "spring.datasource.pass{{}}word=${DB_PASS{{}}WORD}\nspring.datasource.username=app\n"),
    ("maven-env", "settings.xml",
     "<server><id>nexus</id><pass{{}}word>${env.NEXUS_PASS{{}}WORD}</pass{{}}word></server>\n"),
    ("npmrc-env", ".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"),
    ("pypirc-placeholder", ".pypirc",
     "[pypi]\nusername = __token__\npass{{}}word = <your PyPI token>\n"),
    ("stripe-test-publishable", "checkout.ts", 'loadStripe("pk_test_{{N99}}");\n'),
    ("helm-existing-secret", "values.yaml",
     "auth:\n  existingSecret: db-credentials\n  secretKeys:\n"
      "    adminPasswordKey: admin-pass{{}}word\n"),
    ("token-from-file", "client.py",
     'from pathlib import Path\n\ntoken = Path("~/.config/acme/token").expanduser().read_text()\n'),
    ("webpack-hashes", "dist/manifest.json",
     '{"main.js": "main.{{h20}}.js", "vendor.js": "vendor.{{h20}}.js"}\n'),
    ("age-public", "recipients.txt", "age1{{z58}}\nage1{{z58}}\n"),
    ("pgp-public", "KEYS",
     "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n{{b64}}\n{{b64}}\n"
      "-----END PGP PUBLIC KEY BLOCK-----\n"),
    ("kubeconfig-ca", "kubeconfig",
     "clusters:\n- cluster:\n    certificate-authority-data: {{b300}}\n"
     "    server: https://10.0.0.1:6443\n"),
    ("numbers", "metrics.csv", "ts,value\n{{d10}},{{d6}}\n{{d10}},{{d6}}\n"),
    ("git-sha-config", ".gitmodules",
     '[submodule "vendor/lib"]\n  path = vendor/lib\n  url = https://github.com/acme/lib\n'
     "  # pinned at {{h40}}\n"),
    ("csrf-template", "form.html",
     '<input type="hidden" name="csrf_token" value="{{ csrf_token }}">\n'),
    ("secret-manager-call", "secrets.py",
     'secret = client.access_secret_version(name="projects/p/secrets/db/versions/latest")\n'),
    ("env-name-config", "config.py",
     'API_KEY{{}}_ENV = "OPENAI_API_KEY"\ntoken_header = "Authorization"\n'),
    ("changeme-yaml", "config.yaml", "admin:\n  user: admin\n  pass{{}}word: changeme\n"),
    ("redacted-log", "incident.md",
     "The leaked key was `sk_live_****` (redacted) and `AKIA****************`.\n"),
    ("azurite", "local.settings.json",
     '{"AzureWebJobsStorage": "UseDevelopmentStorage=true"}\n'),
    ("dotnet-user-secrets", "Program.cs",
     'var key = builder.Configuration["Stripe:SecretKey"];\n'
     'var cs = builder.Configuration.GetConnectionString("Main");\n'),
    ("random-ids", "ids.py", 'REQUEST_ID = "{{h32}}"\nBUILD = "{{U12}}"\n'),
]


def build_corpus(seed: int = 20241124):
    rng = random.Random(seed)
    samples = []
    for label, table in ((True, POSITIVES), (False, DECOYS)):
        for kind, name, template in table:
            samples.append((label, kind, name, guard.expand_shape(template, rng)))
    return samples


def guard_flags(name: str, text: str) -> bool:
    if name == "<bash>":
        return bool(guard._scan(text, "", "config"))
    return bool(guard.scan_text(text, name))


def detect_secrets_values(samples):
    """Per sample, the values detect-secrets (default settings) reports; None if missing."""
    try:
        from detect_secrets import SecretsCollection
        from detect_secrets.settings import default_settings
    except ImportError:
        return None
    found = []
    with tempfile.TemporaryDirectory() as tmp, default_settings():
        for i, (_label, _kind, name, text) in enumerate(samples):
            file = Path(tmp) / str(i) / ("command.sh" if name == "<bash>" else name)
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(text, encoding="utf-8")
            secrets = SecretsCollection()
            secrets.scan_file(str(file))
            found.append([secret.secret_value or "" for _name, secret in secrets])
    return found


def detect_secrets_flags(samples):
    """Per sample: does detect-secrets (default settings) report anything? None if missing."""
    values = detect_secrets_values(samples)
    return None if values is None else [bool(v) for v in values]


# --- the external corpus -----------------------------------------------------------------------


def load_corpus(path: Path) -> dict:
    """variant -> [(label, provider, file name, text)] from a dev.jsonl."""
    variants: dict = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            case = json.loads(line)
            variants.setdefault(case["variant"], []).append(
                (bool(case["label"]), case["provider"], case["file_path"], case["text"]))
    return variants


def guard_corpus(samples):
    """Per sample, the guard's previews (at most 4 characters each), and the slowest case."""
    guard.scan_text("warm up: compile the rules once", "a.py")
    previews, slowest = [], (0.0, "")
    for _label, provider, name, text in samples:
        start = time.perf_counter()
        findings = guard.scan_text(text, name)
        elapsed = time.perf_counter() - start
        if elapsed > slowest[0]:
            slowest = (elapsed, provider)
        previews.append([f.preview for f in findings])
    return previews, slowest


def corpus_report(path: Path, top: int = 12) -> None:
    print(f"external corpus: {path}")
    for variant, samples in load_corpus(path).items():
        positives = sum(1 for s in samples if s[0])
        print(f"\n{variant} variant: {positives} positives, {len(samples) - positives} negatives")
        ours, slowest = guard_corpus(samples)
        results = [("secret_guard", ours)]
        theirs = detect_secrets_values(samples)
        if theirs is not None:
            results.append(("detect-secrets", [[redact4(v) for v in vs] for vs in theirs]))
        print(f"  {'tool':<16}{'TP':>6}{'FP':>6}{'FN':>6}{'precision':>11}{'recall':>8}")
        for tool, found in results:
            tp, fp, fn, precision, recall = scores(samples, [bool(f) for f in found])
            print(f"  {tool:<16}{tp:>6}{fp:>6}{fn:>6}{precision:>11.3f}{recall:>8.3f}")
        if theirs is None:
            print("  detect-secrets  not installed (pip install detect-secrets)")
        print(f"  slowest case in scan_text: {slowest[0] * 1000:.1f} ms ({slowest[1]})")
        counts: dict = {}
        for label, provider, _name, _text in samples:
            if label:
                counts[provider] = counts.get(provider, 0) + 1
        largest = sorted(counts, key=lambda p: (-counts[p], p))[:top]
        print(f"  recall by provider (the {top} largest): "
              + " ".join(f"{tool}" for tool, _ in results))
        for provider in largest:
            cells = []
            for _tool, found in results:
                hit = sum(1 for s, f in zip(samples, found, strict=True)
                          if s[0] and s[1] == provider and f)
                cells.append(f"{hit / counts[provider]:>8.2f}")
            print(f"    {provider:<24}{counts[provider]:>5}" + "".join(cells))
        for tool, found in results:
            false = [(s[1], f) for s, f in zip(samples, found, strict=True) if not s[0] and f]
            shown = ", ".join(f"{provider}:{'/'.join(f)}" for provider, f in false[:40])
            more = f" (+{len(false) - 40} more)" if len(false) > 40 else ""
            print(f"  {tool} false positives ({len(false)}): {shown or '-'}{more}")


def redact4(value: str) -> str:
    """At most the first 4 characters of a value: corpus secrets are never printed whole."""
    return guard.redact(value)


def scores(samples, flags):
    tp = sum(1 for s, f in zip(samples, flags, strict=True) if s[0] and f)
    fp = sum(1 for s, f in zip(samples, flags, strict=True) if not s[0] and f)
    fn = sum(1 for s, f in zip(samples, flags, strict=True) if s[0] and not f)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return tp, fp, fn, precision, recall


# --- speed -----------------------------------------------------------------------------------


def clean_module(size: int) -> str:
    """Ordinary Python code with no secret-looking names."""
    block = '''

def summarise_orders(orders, currency="EUR"):
    """Total, count and average of the paid orders."""
    paid = [order for order in orders if order.status == "paid"]
    total = sum(order.amount for order in paid)
    average = total / len(paid) if paid else 0
    return {"total": round(total, 2), "count": len(paid), "average": average, "cur": currency}


class Inventory:
    def __init__(self, items=None):
        self.items = dict(items or {})

    def restock(self, sku, quantity):
        if quantity <= 0:
            raise ValueError(f"quantity must be positive, got {quantity}")
        self.items[sku] = self.items.get(sku, 0) + quantity
        return self.items[sku]
'''
    return ("import math\nimport statistics\n" + block * (size // len(block) + 1))[:size]


def settings_module(size: int) -> str:
    """Configuration code full of secret-named settings read from the environment."""
    block = '''
DATABASE_PASSWORD = os.environ["DATABASE_PASSWORD"]
API_TOKEN = os.environ.get("API_TOKEN", "")
client = Client(api_key=settings.API_KEY, secret=os.getenv("CLIENT_SECRET"))
engine = create_engine(f"postgresql+psycopg://app:{DATABASE_PASSWORD}@db/app")
headers = {"Authorization": f"Bearer {API_TOKEN}"}
max_tokens = 2048  # tokenizer limits
'''
    return ("import os\n" + block * (size // len(block) + 1))[:size]


def write_payload(content: str) -> bytes:
    return json.dumps({
        "session_id": "bench", "transcript_path": "/tmp/t.jsonl", "cwd": str(ROOT),
        "hook_event_name": "PreToolUse", "tool_name": "Write",
        "tool_input": {"file_path": str(ROOT / "src" / "module.py"), "content": content},
    }).encode()




PATHOLOGICAL = {
    "one character": "a" * 200_000,
    "secret names": "password=" * 22_223,
    "JWT heads": "eyJ" * 66_667,
    "base64 run": "Ab9+/" * 40_000,
    "URI prefixes": "postgres://u:" * 15_385,
    "open quotes": 'token = "' * 22_223,
    "key headers": ("-----BEGIN PRIVATE" + " KEY-----") * 7_408,
    "dotted runs": "M" * 30 + ".abcdef." * 25_000,
    "digits and colons": "1234567890:AA" * 15_385,
    "backslashes": "\\" * 200_000,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="hook calls per latency figure")
    parser.add_argument("--corpus", type=Path, default=CORPUS if CORPUS.is_file() else None,
                        help="an external labelled corpus, JSON lines (default: "
                             "../shared/secret-corpus/dev.jsonl beside the repository)")
    args = parser.parse_args()
    if args.corpus is not None:
        if not args.corpus.is_file():
            parser.error(f"no such corpus: {args.corpus}")
        corpus_report(args.corpus)
        print()

    samples = build_corpus()
    positives = sum(1 for s in samples if s[0])
    print(f"secret_guard benchmark: Python {platform.python_version()} on {platform.system()}, "
          f"{len(guard.RULES)} rules")
    print(f"corpus: {positives} files with one fake credential ({len(POSITIVES)} kinds), "
          f"{len(samples) - positives} files with decoys only")
    print()
    print("precision and recall, file level (goal: 0.97 or more, both)")
    print(f"  {'tool':<16}{'TP':>4}{'FP':>4}{'FN':>4}{'precision':>11}{'recall':>8}")
    ours = [guard_flags(name, text) for _label, _kind, name, text in samples]
    results = [("secret_guard", ours)]
    theirs = detect_secrets_flags(samples)
    if theirs is not None:
        results.append(("detect-secrets", theirs))
    for tool, flags in results:
        tp, fp, fn, precision, recall = scores(samples, flags)
        print(f"  {tool:<16}{tp:>4}{fp:>4}{fn:>4}{precision:>11.3f}{recall:>8.3f}")
    if theirs is None:
        print("  detect-secrets  not installed (pip install detect-secrets)")
    for tool, flags in results:
        missed = [s[1] for s, f in zip(samples, flags, strict=True) if s[0] and not f]
        false = [s[1] for s, f in zip(samples, flags, strict=True) if not s[0] and f]
        print(f"  {tool} missed: {', '.join(missed) or '-'}")
        print(f"  {tool} false alarms: {', '.join(false) or '-'}")

    print()
    print(f"latency per hook call: fresh interpreter, payload on stdin, median of {args.runs}")
    secret = guard.expand_shape("ghp_{{N30}}{{crc}}", random.Random(7))
    tenk = clean_module(10_000)
    hook = [sys.executable, str(HOOK)]
    variants = {
        "bare interpreter (python -c pass)": ([sys.executable, "-c", "pass"], None, None),
        "10 KB Write, plain code": (hook, write_payload(tenk), None),
        "10 KB Write, secret-named settings": (hook, write_payload(settings_module(10_000)),
                                               None),
        "10 KB Write, one credential (blocked)": (
            hook, write_payload(tenk[:-60] + f"\nT = '{secret}'\n"), None),
    }
    medians = interleaved(args.runs, variants)
    bare = medians.pop("bare interpreter (python -c pass)")
    print(f"  {'bare interpreter (python -c pass)':<42}{bare * 1000:8.1f} ms")
    for name, value in medians.items():
        ratio = value / bare
        goal = f"  goal within 1.2x: {'met' if ratio <= 1.2 else 'not met'}" \
            if name == "10 KB Write, plain code" else ""
        print(f"  {name:<42}{value * 1000:8.1f} ms  {ratio:5.2f}x{goal}")

    big = write_payload((clean_module(500_000) + settings_module(500_000))[:1_000_000])
    one_mb = statistics.median(timed([sys.executable, str(HOOK)], big) for _ in range(5))
    print(f"  {'1 MB Write (median of 5)':<42}{one_mb:8.3f} s   "
          f"goal under 0.5 s: {'met' if one_mb < 0.5 else 'not met'}")

    worst_name, worst = "", 0.0
    for name, line in PATHOLOGICAL.items():
        elapsed = min(timed([sys.executable, str(HOOK)], write_payload(line)) for _ in range(3))
        if elapsed >= worst:
            worst_name, worst = name, elapsed
    print(f"  {'200 KB single line, worst of ' + str(len(PATHOLOGICAL)) + ' shapes':<42}"
          f"{worst:8.3f} s   ({worst_name}) goal under 1 s: {'met' if worst < 1 else 'not met'}")


if __name__ == "__main__":
    main()
