#!/usr/bin/env python3
"""Block credentials before Claude writes them to a file or runs them in a command.

Event: PreToolUse. Matcher: `Write|Edit|MultiEdit|NotebookEdit|Bash|PowerShell` (registered in
hooks/hooks.json; the launcher is hooks/secret_guard.py).

Before a tool call runs, this hook scans what it is about to write: a Write's `content`, an
Edit's `new_string`, each `edits[].new_string` of a MultiEdit, a notebook cell's `new_source`,
and a Bash `command` whole (heredocs, `echo`/`printf` redirections, `tee`, `sed -i`, inline
`NAME=value` assignments, `curl -H "Authorization: ..."`, `curl -u`, `--password` flags). A guard
that ignored Bash would be bypassed by `echo KEY=... > .env`. A `PowerShell` command (the shell
tool on Windows without Git Bash) is read the same way, here-strings (`@"..."@`, `@'...'@`)
included, and the files it writes through `Set-Content`, `Add-Content`, `Out-File`, `New-Item`,
`Tee-Object`, `[IO.File]::WriteAllText`, `>` and `>>` are what `path:` entries are matched with.

The rules are a data table (`RULES`, listed by `--list-rules`): provider token formats (AWS,
GitHub, GitLab, Slack, Stripe, Google, OpenAI, Anthropic, Azure, Twilio, SendGrid, npm, PyPI,
Hugging Face, Discord, Telegram, Shopify, DigitalOcean, Mailchimp, Docker, ...), JWTs, private
keys (PEM, OpenSSH, PGP, PuTTY), connection strings with a password (postgres, mysql,
mongodb+srv, redis, amqp, http basic auth, JDBC/ADO), and secret-named assignments (`password`,
`secret`, `token`, `api_key`, ...) in code, `.env`, YAML, JSON, XML and properties files. Each
rule has a cheap keyword prefilter, most have a validity check (entropy, placeholder words,
decoding), and placeholders are let through: `${VAR}`, `${{ secrets.X }}`, `<token>`,
`your-api-key`, `changeme`, `xxx`, `os.environ[...]`, AWS's documented keys ending in
`EXAMPLE`, jwt.io's sample token. So are hashes, UUIDs, git SHAs, public keys, publishable keys
(`pk_live_...`), and the loose rules in lock files (`package-lock.json`, `uv.lock`, ...).

When something matches, the call is blocked (exit code 2) and Claude reads on stderr, for each
finding, the file, line and column, the rule id, a redacted preview (at most the first 4
characters of the value) and its SHA-256 fingerprint; then how to fix it (read the value from an
environment variable or a secret manager, commit a placeholder) and how to allow an exception.
Unreadable input or a failure of the hook itself: one line on stderr and exit code 1, which
Claude Code does not treat as a block.

Allowing an exception (a test fixture, a documented example):

- Inline: put the comment `pragma: allowlist secret` on the line (or
  `pragma: allowlist nextline secret` on the line before), as detect-secrets reads it.
- Project-wide: a `.secrets-allowlist` file at the project root (looked up from
  `CLAUDE_PROJECT_DIR`, else the hook's `cwd`, then upwards to the directory holding `.git`).
  One entry per line, `#` starts a comment, other lines are ignored:

      path:tests/fixtures/*          skip files matching this glob (relative, `/`-separated;
                                     `*` also matches `/`)
      rule:jwt                       turn one rule off everywhere
      rule:jwt docs/*                turn one rule off for files matching a glob
      sha256:3f2a9c41d0b7e6a5        allow one value by the fingerprint the block message shows
                                     (a prefix of at least 12 hex digits)

  For a Bash command, `path:` entries apply when every file the command writes matches.

Command line (exit 0: nothing found, 1: findings, 2: usage or I/O error):

    python hooks/secret_guard.py --scan PATH...   scan files and directories
    python hooks/secret_guard.py --staged         scan what is staged in git (a pre-commit check)
    python hooks/secret_guard.py --list-rules     print the rule ids

Each finding prints as `path:line: RULE preview`. `scan_text(text, path)` is the pure function
the other tools import.

Standard library only, Python 3.10+. Nothing heavy is imported until it is needed (not even `re`
or `json` on a clean call). Claude Code runs the launcher hooks/secret_guard.py, which imports
this module from bytecode cached outside the repository (playbook_hooks/__init__.py), so a clean
call costs little more than starting Python; `python benchmarks/hooks.py` measures it.
"""

import os
import sys

from .common import git_output, parse_json, say

ALLOWLIST_FILE = ".secrets-allowlist"
PRAGMA = "pragma: allowlist secret"
PRAGMA_NEXTLINE = "pragma: allowlist nextline secret"
MAX_SCAN_BYTES = 5_000_000  # --scan skips bigger files

# Left and right boundaries for token-like values.
_L = r"(?<![A-Za-z0-9_\-])"
_R = r"(?![A-Za-z0-9_\-])"
# user:password@host in a URL; the password is group s.
_USERINFO = r"://(?P<u>[^:@/\s'\"<>]{0,64}):(?P<s>[^@/\s'\"<>]{1,128})@[^\s/'\"<>@]{1,255}"

# --- the rules -----------------------------------------------------------------------------------
#
# One dict per rule, most specific first:
#   id, description   stable id (what allowlists and reports use) and a short phrase
#   regex             the pattern; the secret is the named group `s`
#   keywords          the regex only runs when one of these occurs in the text (prefilter)
#   ci                keywords are lower case and compared with the lower-cased text
#   lower             the regex is written for the lower-cased text and runs over it (4x faster
#                     than IGNORECASE); groups are read from the original
#   requires          all of these must occur too
#   check             extra validation, a key of _CHECKS (default "token"); it returns the
#                     finding, None (recognised but let through) or False (not this format)
#   schemes           URL rules: the schemes the rule owns
#   entropy           minimum Shannon entropy (bits per character) of the secret
#   loose             keyword/entropy based: skipped in lock files, and yields to any span a
#                     stricter rule has already recognised (accepted or let through)
#   at_match          report at the start of the match (a key's header line), not of group s
#   path              default file name for the examples below
#   tp, fp            example *shapes*, expanded by expand_shape() at test time: never a literal
#                     credential. An entry is a template or (path, template). In a template,
#                     {{N36}} is 36 random characters of class N (see _charsets), {{}} is
#                     empty (it splits words a scanner would otherwise read), and
#                     {{b64:...}} / {{b64u:...}} base64-encode their content.

RULES: list[dict] = [
    {
        "id": "aws-access-key-id",
        "description": "AWS access key ID",
        "regex": r"(?<![A-Z0-9])(?P<s>(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})(?![A-Z0-9])",
        "keywords": ("AKIA", "ASIA", "ABIA", "ACCA"),
        "tp": ("AKIA{{w16}}", "export AWS_ACCESS_KEY_ID=ASIA{{w16}}",
               '"AccessKeyId": "AKIA{{U16}}"'),
        "fp": ("AKIA{{w9}}EXAMPLE", "AKIA{{X16}}", "aws_access_key_id = ${AWS_ACCESS_KEY_ID}",
               "SLOVAKIA{{U16}}", "arn:aws:iam::{{d12}}:role/{{l8}}"),
    },
    {
        "id": "aws-secret-access-key",
        "description": "AWS secret access key",
        "regex": r"(?i)(?:aws.{0,24}?(?:secret|sk)|secretaccesskey)[a-z_\-]{0,24}[\"']?"
                 r"[ \t]{0,3}(?::=|=>|=|:)[ \t]{0,3}[\"']?"
                 r"(?P<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
        "keywords": ("aws", "secretaccesskey"),
        "ci": True,
        "entropy": 3.5,
        "loose": True,
        "tp": ("aws_secret_access_key = {{b40}}", '"SecretAccessKey": "{{b40}}"',
               "AWS_SECRET_ACCESS_KEY={{b40}}"),
        "fp": ("aws_secret_access_key = {{N12}}/K7MDENG/{{N9}}EXAMPLEKEY",
               "AWS_SECRET_ACCESS_KEY={{X40}}", "aws_secret_access_key = ${AWS_SECRET}",
               "aws_session_token_sha = {{h40}}"),
    },
    {
        "id": "github-pat",
        "description": "GitHub personal access token (classic)",
        "regex": _L + r"(?P<s>ghp_[A-Za-z0-9]{36})" + _R,
        "keywords": ("ghp_",),
        "tp": ("ghp_{{N36}}", "GITHUB_TOKEN=ghp_{{N36}}",
               "https:/{{}}/x:ghp_{{N36}}@github.com/o/r.git"),
        "fp": ("ghp_{{X36}}", "GITHUB_TOKEN=ghp_your_token_here", "ghp_{{N20}}"),
    },
    {
        "id": "github-fine-grained-pat",
        "description": "GitHub fine-grained personal access token",
        "regex": _L + r"(?P<s>github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})" + _R,
        "keywords": ("github_pat_",),
        "tp": ("github_pat_{{N22}}_{{N59}}",),
        "fp": ("github_pat_{{X22}}_{{X59}}", "github_pat_<your-token>"),
    },
    {
        "id": "github-oauth-token",
        "description": "GitHub OAuth access token",
        "regex": _L + r"(?P<s>gho_[A-Za-z0-9]{36})" + _R,
        "keywords": ("gho_",),
        "tp": ("gho_{{N36}}",),
        "fp": ("gho_{{x36}}",),
    },
    {
        "id": "github-app-token",
        "description": "GitHub App user-to-server or installation token",
        "regex": _L + r"(?P<s>(?:ghu|ghs)_[A-Za-z0-9]{36})" + _R,
        "keywords": ("ghu_", "ghs_"),
        "tp": ("ghs_{{N36}}", "ghu_{{N36}}"),
        "fp": ("ghs_{{X36}}",),
    },
    {
        "id": "github-refresh-token",
        "description": "GitHub refresh token",
        "regex": _L + r"(?P<s>ghr_[A-Za-z0-9]{36,76})" + _R,
        "keywords": ("ghr_",),
        "tp": ("ghr_{{N76}}",),
        "fp": ("ghr_{{X76}}",),
    },
    {
        "id": "gitlab-pat",
        "description": "GitLab personal access token",
        "regex": _L + r"(?P<s>glpat-[A-Za-z0-9_\-]{20,80}(?:\.[A-Za-z0-9_\-.]{2,40})?)" + _R,
        "keywords": ("glpat-",),
        "tp": ("glpat-{{B20}}", "GITLAB_TOKEN=glpat-{{N20}}"),
        "fp": ("glpat-{{X20}}", "GITLAB_TOKEN=glpat-<token>"),
    },
    {
        "id": "gitlab-runner-token",
        "description": "GitLab runner authentication token",
        "regex": _L + r"(?P<s>glrt-[A-Za-z0-9_\-]{20,80})" + _R,
        "keywords": ("glrt-",),
        "tp": ("glrt-{{B20}}",),
        "fp": ("glrt-{{X20}}",),
    },
    {
        "id": "gitlab-pipeline-trigger-token",
        "description": "GitLab pipeline trigger token",
        "regex": _L + r"(?P<s>glptt-[0-9a-f]{40})" + _R,
        "keywords": ("glptt-",),
        "tp": ("glptt-{{h40}}",),
        "fp": ("glptt-<trigger-token>",),
    },
    {
        "id": "gitlab-deploy-token",
        "description": "GitLab deploy token",
        "regex": _L + r"(?P<s>gldt-[A-Za-z0-9_\-]{20,80})" + _R,
        "keywords": ("gldt-",),
        "tp": ("gldt-{{B20}}",),
        "fp": ("gldt-{{X20}}",),
    },
    {
        "id": "slack-bot-token",
        "description": "Slack bot token",
        "regex": _L + r"(?P<s>xoxb-[0-9]{9,13}-[0-9]{9,13}-[A-Za-z0-9]{20,32})" + _R,
        "keywords": ("xoxb-",),
        "tp": ("xoxb-{{d12}}-{{d13}}-{{N24}}",),
        "fp": ("xoxb-{{}}000000000000-0000000000000-{{X24}}",
               "SLACK_BOT_TOKEN=xoxb-your-bot-token"),
    },
    {
        "id": "slack-user-token",
        "description": "Slack user token",
        "regex": _L + r"(?P<s>xox[pae]-(?:[0-9]{9,13}-){3}[A-Za-z0-9]{28,34})" + _R,
        "keywords": ("xoxp-", "xoxa-", "xoxe-"),
        "tp": ("xoxp-{{d12}}-{{d12}}-{{d13}}-{{h32}}",),
        "fp": ("xoxp-{{d12}}-{{d12}}-{{d13}}-{{X32}}",),
    },
    {
        "id": "slack-app-token",
        "description": "Slack app-level token",
        "regex": _L + r"(?P<s>xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{9,13}-[A-Za-z0-9]{60,70})" + _R,
        "keywords": ("xapp-",),
        "tp": ("xapp-1-A{{U10}}-{{d13}}-{{h64}}",),
        "fp": ("xapp-1-A{{U10}}-{{d13}}-{{X64}}",),
    },
    {
        "id": "slack-webhook-url",
        "description": "Slack incoming webhook URL",
        "regex": r"https://hooks\.slack\.com/(?:services|workflows|triggers)/"
                 r"(?P<s>T[A-Z0-9]{6,12}/[A-Za-z0-9]{6,12}/[A-Za-z0-9/]{16,64})(?![A-Za-z0-9/])",
        "keywords": ("hooks.slack.com",),
        "tp": ("https://hooks.slack.com/services/T{{U10}}/B{{U10}}/{{N24}}",),
        "fp": ("https://hooks.slack.com/services/T00000000/B00000000/{{X24}}",
               "https://hooks.slack.com/services/YOUR/WEBHOOK/URL"),
    },
    {
        "id": "discord-bot-token",
        "description": "Discord bot token",
        "regex": r"(?P<s>[MNO](?<![A-Za-z0-9_\-][MNO])[A-Za-z0-9_\-]{23,27}\.[A-Za-z0-9_\-]{6}\."
                 r"[A-Za-z0-9_\-]{27,40})" + _R,
        "keywords": ("discord", "token", ".run(", "bot"),
        "ci": True,
        "check": "discord",
        "entropy": 3.0,
        "loose": True,
        "tp": ("DISCORD_BOT_TOKEN={{b64u:{{d18}}}}.{{B6}}.{{B38}}",
               'client.run("{{b64u:{{d19}}}}.{{B6}}.{{B27}}")'),
        "fp": ('discord_bot_name = "Mk{{N22}}.{{B6}}.{{B30}}"',
               "DISCORD_BOT_TOKEN=${DISCORD_BOT_TOKEN}"),
    },
    {
        "id": "discord-webhook-url",
        "description": "Discord webhook URL",
        "regex": r"https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api/webhooks/"
                 r"(?P<s>[0-9]{17,20}/[A-Za-z0-9_\-]{60,70})" + _R,
        "keywords": ("discord",),
        "tp": ("https://discord.com/api/webhooks/{{d18}}/{{B68}}",),
        "fp": ("https://discord.com/api/webhooks/{{d18}}/<token>",
               "https://discord.com/api/webhooks/{{d18}}/{{X68}}"),
    },
    {
        "id": "telegram-bot-token",
        "description": "Telegram bot token",
        "regex": r"(?<![0-9])(?P<s>[0-9]{8,10}:AA[A-Za-z0-9_\-]{33})" + _R,
        "keywords": (":AA",),
        "tp": ("TELEGRAM_BOT_TOKEN={{d10}}:AA{{B33}}", 'bot = Bot("{{d9}}:AA{{B33}}")'),
        "fp": ("{{d10}}:AA{{X33}}", "TELEGRAM_BOT_TOKEN=123456789:ABCdefGhIJKlmNoPQRsTUVwxyZ"),
    },
    {
        "id": "stripe-secret-key",
        "description": "Stripe live secret key",
        "regex": _L + r"(?P<s>sk_live_[A-Za-z0-9]{24,99})" + _R,
        "keywords": ("sk_live_",),
        "tp": ("sk_live_{{N24}}", "STRIPE_SECRET_KEY=sk_live_{{N99}}"),
        "fp": ("sk_test_{{N24}}", "pk_live_{{N24}}", "sk_live_{{X24}}",
               "STRIPE_PUBLISHABLE_KEY=pk_live_{{N24}}"),
    },
    {
        "id": "stripe-restricted-key",
        "description": "Stripe live restricted key",
        "regex": _L + r"(?P<s>rk_live_[A-Za-z0-9]{24,99})" + _R,
        "keywords": ("rk_live_",),
        "tp": ("rk_live_{{N24}}",),
        "fp": ("rk_test_{{N24}}",),
    },
    {
        "id": "stripe-webhook-secret",
        "description": "Stripe webhook signing secret",
        "regex": _L + r"(?P<s>whsec_[A-Za-z0-9]{32,64})" + _R,
        "keywords": ("whsec_",),
        "tp": ("whsec_{{N32}}",),
        "fp": ("whsec_{{X32}}",),
    },
    {
        "id": "shopify-access-token",
        "description": "Shopify access token or shared secret",
        "regex": _L + r"(?P<s>shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})" + _R,
        "keywords": ("shpat_", "shpca_", "shppa_", "shpss_"),
        "tp": ("shpat_{{h32}}", "shpss_{{h32}}"),
        "fp": ("shpat_<token>",),
    },
    {
        "id": "square-access-token",
        "description": "Square access token or OAuth secret",
        "regex": _L + r"(?P<s>sq0(?:atp|csp)-[A-Za-z0-9_\-]{22,43})" + _R,
        "keywords": ("sq0atp-", "sq0csp-"),
        "tp": ("sq0atp-{{B22}}", "sq0csp-{{B43}}"),
        "fp": ("sq0idp-{{B22}}",),
    },
    {
        "id": "google-api-key",
        "description": "Google API key",
        "regex": _L + r"(?P<s>AIza[A-Za-z0-9_\-]{35})" + _R,
        "keywords": ("AIza",),
        "tp": ("AIza{{B35}}", 'GOOGLE_API{{}}_KEY="AIza{{B35}}"'),
        "fp": ("AIza{{X35}}", "AIzaSy-your-api-key"),
    },
    {
        "id": "gcp-service-account-key",
        "description": "Google Cloud service account key file",
        "regex": r"\"private_key_id\"[ \t]{0,3}:[ \t]{0,3}\"(?P<s>[0-9a-f]{40})\"",
        "keywords": ('"private_key_id"',),
        "requires": ("service_account",),
        "path": "service-account.json",
        "tp": ('{"type": "service_account", "project_id": "demo-{{l6}}", '
               '"private_key_id": "{{h40}}", '
               '"client_email": "svc@demo-{{l6}}.iam.gserviceaccount.com"}',),
        "fp": ('{"type": "service_account", "private_key_id": "your-private-key-id"}',),
    },
    {
        "id": "google-oauth-client-secret",
        "description": "Google OAuth client secret",
        "regex": _L + r"(?P<s>GOCSPX-[A-Za-z0-9_\-]{28})" + _R,
        "keywords": ("GOCSPX-",),
        "tp": ("GOCSPX-{{B28}}",),
        "fp": ("GOCSPX-{{X28}}",),
    },
    {
        "id": "azure-storage-account-key",
        "description": "Azure storage account key in a connection string",
        "regex": r"(?i)AccountKey[ \t]{0,2}=[ \t]{0,2}(?P<s>[A-Za-z0-9+/]{40,100}={0,2})",
        "keywords": ("accountkey",),
        "ci": True,
        "check": "azure",
        "tp": ("DefaultEndpointsProtocol=https;AccountName={{a10}};AccountKey={{b86}}==;"
               "EndpointSuffix=core.windows.net",),
        "fp": ("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
               "AccountKey={{b86}}==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;",
               "AccountKey=<your-account-key>", "UseDevelopmentStorage=true"),
    },
    {
        "id": "azure-shared-access-key",
        "description": "Azure Service Bus, Event Hubs or IoT shared access key",
        "regex": r"(?i)SharedAccessKey[ \t]{0,2}=[ \t]{0,2}(?P<s>[A-Za-z0-9+/]{40,100}={0,2})",
        "keywords": ("sharedaccesskey",),
        "ci": True,
        "tp": ("Endpoint=sb://{{l8}}.servicebus.windows.net/;SharedAccessKeyName=Root;"
               "SharedAccessKey={{b43}}=",),
        "fp": ("Endpoint=sb://{{l8}}.servicebus.windows.net/;SharedAccessKeyName=Root;"
               "SharedAccessKey=${SERVICEBUS_KEY}",),
    },
    {
        "id": "azure-sas-token",
        "description": "Azure shared access signature in a URL",
        "regex": r"[?&]sig=(?P<s>[A-Za-z0-9%+/]{30,120}(?:%3[Dd]|=){0,2})(?![A-Za-z0-9%+/=])",
        "keywords": ("sig=",),
        "requires": ("sv=",),
        "tp": ("https://{{l8}}.blob.core.windows.net/c/f.txt?sv=2022-11-02&ss=b&srt=o&sp=r"
               "&se=2030-01-01T00:00:00Z&sig={{b43}}%3D",),
        "fp": ("https://{{l8}}.blob.core.windows.net/c/f.txt?sv=2022-11-02&sig=<signature>",
               "https://{{l8}}.blob.core.windows.net/c/f.txt?sv=2022-11-02&sig={{X43}}"),
    },
    {
        "id": "digitalocean-token",
        "description": "DigitalOcean personal access, OAuth or refresh token",
        "regex": _L + r"(?P<s>do[por]_v1_[a-f0-9]{64})" + _R,
        "keywords": ("_v1_",),
        "tp": ("dop_v1_{{h64}}", "doo_v1_{{h64}}"),
        "fp": ("dop_v1_<token>",),
    },
    {
        "id": "hashicorp-vault-token",
        "description": "HashiCorp Vault service or batch token",
        "regex": _L + r"(?P<s>hv[sb]\.[A-Za-z0-9_\-]{24,200})" + _R,
        "keywords": ("hvs.", "hvb."),
        "tp": ("VAULT_TOKEN=hvs.{{B24}}", "hvs.{{B90}}"),
        "fp": ("hvs.{{X24}}", "VAULT_TOKEN=hvs.example"),
    },
    {
        "id": "terraform-cloud-token",
        "description": "Terraform Cloud / HCP Terraform API token",
        "regex": _L + r"(?P<s>[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_\-]{60,70})" + _R,
        "keywords": (".atlasv1.",),
        "tp": ("{{N14}}.atlasv1.{{B67}}",),
        "fp": ("{{X14}}.atlasv1.{{X67}}",),
    },
    {
        "id": "age-secret-key",
        "description": "Secret key of the age encryption tool",
        "regex": r"(?P<s>AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58})(?![A-Z0-9])",
        "keywords": ("AGE-SECRET-KEY-1",),
        "tp": ("AGE-SECRET-KEY-1{{Z58}}",),
        "fp": ("age1{{z58}}", "AGE-SECRET-KEY-1{{X58}}"),
    },
    {
        "id": "openai-api-key",
        "description": "OpenAI API key (legacy format)",
        "regex": _L + r"(?P<s>sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})" + _R,
        "keywords": ("T3BlbkFJ",),
        "tp": ("OPENAI_API_KEY=sk-{{N20}}T3B{{}}lbkFJ{{N20}}",),
        "fp": ("sk-{{X20}}T3B{{}}lbkFJ{{X20}}", "OPENAI_API_KEY=sk-..."),
    },
    {
        "id": "openai-project-key",
        "description": "OpenAI project, service account or admin key",
        "regex": _L + r"(?P<s>sk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{40,200})" + _R,
        "keywords": ("sk-proj-", "sk-svcacct-", "sk-admin-"),
        "tp": ("sk-proj-{{B156}}", "sk-svcacct-{{B80}}"),
        "fp": ("sk-proj-{{X48}}", 'openai.api{{}}_key = "sk-proj-your-key"'),
    },
    {
        "id": "anthropic-api-key",
        "description": "Anthropic API key",
        "regex": _L + r"(?P<s>sk-ant-(?:api|admin|oat|ort)[0-9]{2}-[A-Za-z0-9_\-]{80,120})" + _R,
        "keywords": ("sk-ant-",),
        "tp": ("ANTHROPIC_API_KEY=sk-ant-api03-{{B93}}AA",),
        "fp": ("sk-ant-api03-{{X93}}AA", "ANTHROPIC_API_KEY=sk-ant-..."),
    },
    {
        "id": "huggingface-token",
        "description": "Hugging Face access token",
        "regex": _L + r"(?P<s>hf_[A-Za-z0-9]{34,40})" + _R,
        "keywords": ("hf_",),
        "check": "mixed",
        "tp": ("HF_TOKEN=hf_{{u1}}{{l1}}{{N32}}",),
        "fp": ("hf_{{X34}}", "hf_{{l34}}", "hf_hub_download_with_retries_and_cache_dir"),
    },
    {
        "id": "groq-api-key",
        "description": "Groq API key",
        "regex": _L + r"(?P<s>gsk_[A-Za-z0-9]{52})" + _R,
        "keywords": ("gsk_",),
        "tp": ("gsk_{{N52}}",),
        "fp": ("gsk_{{X52}}",),
    },
    {
        "id": "replicate-api-token",
        "description": "Replicate API token",
        "regex": _L + r"(?P<s>r8_[A-Za-z0-9]{37})" + _R,
        "keywords": ("r8_",),
        "tp": ("r8_{{N37}}",),
        "fp": ("r8_{{X37}}",),
    },
    {
        "id": "twilio-api-key",
        "description": "Twilio API key SID",
        "regex": _L + r"(?P<s>SK[0-9a-fA-F]{32})" + _R,
        "keywords": ("twilio",),
        "ci": True,
        "loose": True,
        "tp": ("TWILIO_API_KEY=SK{{h32}}",),
        "fp": ("TWILIO_ACCOUNT_SID=AC{{h32}}", "TWILIO_API_KEY=SK{{X32}}"),
    },
    {
        "id": "sendgrid-api-key",
        "description": "SendGrid API key",
        "regex": _L + r"(?P<s>SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})" + _R,
        "keywords": ("SG.",),
        "tp": ("SG.{{B22}}.{{B43}}",),
        "fp": ("SG.{{X22}}.{{X43}}",),
    },
    {
        "id": "mailchimp-api-key",
        "description": "Mailchimp API key",
        "regex": r"(?<![0-9a-f])(?P<s>[0-9a-f]{32}-us[0-9]{1,2})(?![A-Za-z0-9])",
        "keywords": ("-us",),
        "loose": True,
        "tp": ("MAILCHIMP_API_KEY={{h32}}-us{{d1}}",),
        "fp": ("{{h32}}-user", "{{X32}}-us6"),
    },
    {
        "id": "mailgun-api-key",
        "description": "Mailgun API key",
        "regex": _L + r"(?P<s>key-[0-9a-f]{32})" + _R,
        "keywords": ("key-",),
        "tp": ("MAILGUN_API_KEY=key-{{h32}}",),
        "fp": ("primary-key-{{h32}}", "key-{{X32}}"),
    },
    {
        "id": "npm-access-token",
        "description": "Access token for npm",
        "regex": _L + r"(?P<s>npm_[A-Za-z0-9]{36})" + _R,
        "keywords": ("npm_",),
        "tp": ("npm_{{N36}}",),
        "fp": ("npm_{{X36}}",),
    },
    {
        "id": "npmrc-auth-token",
        "description": "Registry credential in an .npmrc",
        "regex": r":_(?:authToken|auth|password)[ \t]{0,2}=[ \t]{0,2}(?P<s>[^\s'\"]{8,300})",
        "keywords": (":_auth", ":_password"),
        "check": "flag",
        "path": ".npmrc",
        "tp": ("//registry.npmjs.org/:_authToken={{N40}}",),
        "fp": ("//registry.npmjs.org/:_authToken=${NPM_TOKEN}",),
    },
    {
        "id": "pypi-api-token",
        "description": "PyPI API token",
        "regex": _L + r"(?P<s>pypi-AgE[A-Za-z0-9_\-]{50,300})" + _R,
        "keywords": ("pypi-AgE",),
        "path": ".pypirc",
        "tp": ("pypi-AgEIcHlwaS5vcmc{{B100}}", "password = pypi-AgEIcHlwaS5vcmc{{B120}}"),
        "fp": ("pypi-AgE{{X60}}", "username = __token__"),
    },
    {
        "id": "rubygems-api-key",
        "description": "RubyGems API key",
        "regex": _L + r"(?P<s>rubygems_[a-f0-9]{48})" + _R,
        "keywords": ("rubygems_",),
        "tp": ("rubygems_{{h48}}",),
        "fp": ("rubygems_<key>",),
    },
    {
        "id": "docker-config-auth",
        "description": "Registry login in a Docker config.json (base64 user:password)",
        "regex": r"\"auth\"[ \t]{0,3}:[ \t]{0,3}\"(?P<s>[A-Za-z0-9+/]{8,400}={0,2})\"",
        "keywords": ('"auth"',),
        "check": "docker_auth",
        "path": "config.json",
        "tp": ('{"auths": {"registry.internal:5000": {"auth": "{{b64:deploy:{{N20}}}}"}}}',),
        "fp": ('{"auths": {"ghcr.io": {"auth": "{{b64:username:password}}"}}}',
               '{"auths": {"ghcr.io": {"auth": ""}}}',
               '{"auths": {"ghcr.io": {"auth": "{{b64:deploy:}}"}}}',
               '{"credsStore": "desktop", "auths": {"ghcr.io": {}}}'),
    },
    {
        "id": "dockerhub-pat",
        "description": "Docker Hub personal access token",
        "regex": _L + r"(?P<s>dckr_pat_[A-Za-z0-9_\-]{27})" + _R,
        "keywords": ("dckr_pat_",),
        "tp": ("dckr_pat_{{B27}}",),
        "fp": ("dckr_pat_{{X27}}",),
    },
    {
        "id": "jwt",
        "description": "JSON Web Token",
        "regex": _L + r"(?P<s>eyJ[A-Za-z0-9_\-]{10,2000}\.eyJ[A-Za-z0-9_\-]{10,8000}\."
                      r"[A-Za-z0-9_\-]{16,1000})" + _R,
        "keywords": ("eyJ",),
        "check": "jwt",
        "tp": ('{{b64u:{"alg":"HS256","typ":"JWT"}}}.'
               '{{b64u:{"sub":"{{d8}}","role":"service_role","iat":{{d10}}}}}.{{B43}}',),
        "fp": ('{{b64u:{"alg":"none"}}}.{{b64u:{"sub":"1"}}}.',
               '{{b64u:{"alg":"HS256","typ":"JWT"}}}.'
               '{{b64u:{"sub":"1234567890","name":"John Doe","iat":1516239022}}}.{{B43}}',
               "Authorization: Bearer ${JWT}"),
    },
    {
        "id": "private-key",
        "description": "Private key (PEM)",
        "regex": r"-----BEGIN (?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY-----(?:\\[rn]|\s){1,8}"
                 r"(?:(?:Proc-Type|DEK-Info):[^\n\\]{1,120}(?:\\[rn]|\s){1,8}){0,2}"
                 r"(?P<s>[A-Za-z0-9+/=]{40,})",
        "keywords": ("PRIVATE KEY-----",),
        "at_match": True,
        "tp": ("-----BEGIN RSA PRIVATE{{}} KEY-----\n{{b64}}\n{{b64}}\n"
               "-----END RSA PRIVATE{{}} KEY-----\n",
               ("key.json", '{"key": "-----BEGIN PRIVATE{{}} KEY-----\\n{{b64}}\\n'
                            '-----END PRIVATE{{}} KEY-----\\n"}'),
               "-----BEGIN EC PRIVATE{{}} KEY-----\nProc-Type: 4,ENCRYPTED\n"
               "DEK-Info: AES-128-CBC,{{H32}}\n\n{{b64}}\n-----END EC PRIVATE{{}} KEY-----"),
        "fp": ("-----BEGIN PUBLIC KEY-----\n{{b64}}\n-----END PUBLIC KEY-----",
               "-----BEGIN CERTIFICATE-----\n{{b64}}\n-----END CERTIFICATE-----",
               "-----BEGIN PRIVATE{{}} KEY-----\n...\n-----END PRIVATE{{}} KEY-----",
               'key = "-----BEGIN PRIVATE{{}} KEY-----\\n<your key>\\n'
               '-----END PRIVATE{{}} KEY-----"'),
    },
    {
        "id": "openssh-private-key",
        "description": "OpenSSH private key",
        "regex": r"-----BEGIN OPENSSH[ ]PRIVATE KEY-----(?:\\[rn]|\s){1,8}"
                 r"(?P<s>[A-Za-z0-9+/=]{40,})",
        "keywords": ("OPENSSH",),
        "at_match": True,
        "tp": ("-----BEGIN OPENSSH PRIVATE{{}} KEY-----\n{{b70}}\n{{b70}}\n"
               "-----END OPENSSH PRIVATE{{}} KEY-----",),
        "fp": ("ssh-ed25519 AAAA{{b64}} deploy@ci", "ssh-rsa AAAA{{b300}} user@host"),
    },
    {
        "id": "pgp-private-key",
        "description": "PGP private key block",
        "regex": r"-----BEGIN PGP[ ]PRIVATE KEY BLOCK-----(?:\\[rn]|\s){1,8}"
                 r"(?:[A-Za-z\-]{2,30}:[^\n\\]{0,200}(?:\\[rn]|\s){1,8}){0,6}"
                 r"(?P<s>[A-Za-z0-9+/=]{40,})",
        "keywords": ("KEY BLOCK-----",),
        "at_match": True,
        "tp": ("-----BEGIN PGP PRIVATE{{}} KEY BLOCK-----\nComment: backup\n\n{{b64}}\n"
               "{{b64}}\n=abcd\n-----END PGP PRIVATE{{}} KEY BLOCK-----",),
        "fp": ("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n{{b64}}\n"
               "-----END PGP PUBLIC KEY BLOCK-----",),
    },
    {
        "id": "putty-private-key",
        "description": "PuTTY private key file",
        "regex": r"PuTTY-User-Key-File-[23]:[^\n]{1,100}\n(?:[^\n]{0,200}\n){0,12}?"
                 r"Private-Lines:[ \t]{0,3}[0-9]{1,3}\s{1,4}(?P<s>[A-Za-z0-9+/=]{40,})",
        "keywords": ("PuTTY-User-Key-File-",),
        "at_match": True,
        "tp": ("PuTTY-User-Key-File-{{}}3: ssh-ed25519\nEncryption: none\nComment: k\n"
               "Public-Lines: 2\n{{b64}}\n{{b8}}\nPrivate-Lines: 1\n{{b64}}\n"
               "Private-MAC: {{h64}}\n",),
        "fp": ("PuTTY-User-Key-File-{{}}3: ssh-ed25519\nEncryption: none\nPrivate-Lines: 1\n"
               "<private key here>\n",),
    },
    {
        "id": "postgres-uri-password",
        "description": "PostgreSQL connection URI with a password",
        "regex": _USERINFO,
        "schemes": ("postgres", "postgresql"),
        "keywords": ("postgres",),
        "ci": True,
        "requires": ("://", "@"),
        "check": "uri",
        "tp": ("DATABASE_URL=postgresql://app:{{P16}}@db.internal:5432/app",
               'engine = create_engine("postgresql+psycopg://svc:{{P20}}@10.0.0.5/prod")'),
        "fp": ("postgresql+psycopg://user:${DB_PASSWORD}@host/db",
               "postgres:/{{}}/postgres:postgres@localhost:5432/postgres",
               "postgres:/{{}}/user:password@localhost/db", "postgresql://localhost/db",
               'create_engine("postgresql+psycopg2:/{{}}/scott:tiger@localhost/test")',
               "sqlite:///:memory:"),
    },
    {
        "id": "mysql-uri-password",
        "description": "MySQL or MariaDB connection URI with a password",
        "regex": _USERINFO,
        "schemes": ("mysql", "mariadb"),
        "keywords": ("mysql", "mariadb"),
        "ci": True,
        "requires": ("://", "@"),
        "check": "uri",
        "tp": ("mysql://root:{{P16}}@mysql.internal:3306/app",
               "mysql+pymysql://app:{{P12}}@db/app"),
        "fp": ("mysql://user:<password>@localhost/db", "mysql://root:****@db/app"),
    },
    {
        "id": "mongodb-uri-password",
        "description": "MongoDB connection URI with a password",
        "regex": _USERINFO,
        "schemes": ("mongodb",),
        "keywords": ("mongodb",),
        "ci": True,
        "requires": ("://", "@"),
        "check": "uri",
        "tp": ("mongodb+srv://svc:{{P20}}@cluster0.{{a5}}.mongodb.net/app?retryWrites=true",),
        "fp": ("mongodb+srv://<username>:<password>@cluster0.{{a5}}.mongodb.net/",),
    },
    {
        "id": "redis-uri-password",
        "description": "Redis connection URI with a password",
        "regex": _USERINFO,
        "schemes": ("redis", "rediss"),
        "keywords": ("redis",),
        "ci": True,
        "requires": ("://", "@"),
        "check": "uri",
        "tp": ("REDIS_URL=redis://:{{P24}}@cache.internal:6379/0",
               "rediss://default:{{P24}}@redis.internal:6380"),
        "fp": ("redis://localhost:6379/0", "redis://:${REDIS_PASSWORD}@redis:6379/0"),
    },
    {
        "id": "amqp-uri-password",
        "description": "AMQP (RabbitMQ) connection URI with a password",
        "regex": _USERINFO,
        "schemes": ("amqp", "amqps"),
        "keywords": ("amqp",),
        "ci": True,
        "requires": ("://", "@"),
        "check": "uri",
        "tp": ("amqps://worker:{{P16}}@mq.internal:5671/vhost",),
        "fp": ("amqp:/{{}}/guest:guest@localhost:5672/",),
    },
    {
        "id": "url-basic-auth",
        "description": "Password in a URL (http, ftp, smtp, ldap, ...)",
        "regex": _USERINFO,
        "schemes": ("http", "https", "ftp", "ftps", "sftp", "smtp", "smtps", "ldap", "ldaps",
                    "imap", "imaps", "pop3", "pop3s", "nntp", "svn", "webdav", "mssql",
                    "sqlserver", "oracle", "cockroachdb", "clickhouse", "neo4j", "nats",
                    "kafka", "mqtt", "couchbase", "influxdb"),
        "keywords": ("://",),
        "requires": ("@",),
        "check": "uri",
        "tp": ("git clone https://deploy:{{P20}}@git.internal.corp/repo.git",
               "ftp://backup:{{P14}}@files.internal/"),
        "fp": ("https://x-access-token:${{ secrets.GITHUB_TOKEN }}@github.com/o/r",
               "https:/{{}}/user:pass@example.com/", "http://localhost:8080/path",
               "see https://docs.python.org/3/library/re.html#re.compile or mail me@host.org"),
    },
    {
        "id": "connection-string-password",
        "description": "Password in a JDBC, ADO.NET or query-string connection string",
        "regex": r"(?i)[?&;][ \t]{0,2}(?:password|passwd|pwd)[ \t]{0,2}="
                 r"[ \t]{0,2}(?P<s>[^&;\s'\"#]{4,128})",
        "keywords": ("password", "passwd", "pwd"),
        "ci": True,
        "check": "uri",
        "loose": True,
        "tp": ("jdbc:postgresql://db:5432/app?user=app&password={{P16}}",
               "Server=db.internal;Database=app;User Id=sa;Password={{P16}};",
               "jdbc:sqlserver://db:1433;databaseName=app;user=sa;password={{P16}};"),
        "fp": ("jdbc:postgresql://db/app?user=app&password=${DB_PASSWORD}",
               "Server=db;Database=app;Trusted_Connection=True;",
               'url = base + "?password=" + pw'),
    },
    {
        "id": "authorization-header",
        "description": "Credential in an HTTP Authorization header",
        "regex": r"(?i)authorization[\"']?[ \t]{0,3}[:=][ \t]{0,3}[fb]?[\"']?"
                 r"(?:bearer|basic|token|bot|apikey|digest)[ \t]{1,3}"
                 r"(?P<s>[A-Za-z0-9._~+/=\-]{12,2000})",
        "keywords": ("authorization",),
        "ci": True,
        "check": "header",
        "loose": True,
        "tp": ('curl -H "Authorization: Bearer {{B40}}" https://api.internal/v1',
               'headers = {"Authorization": "Basic {{b64:svc:{{N16}}}}"}'),
        "fp": ('curl -H "Authorization: Bearer $TOKEN" https://api.example.com',
               'headers = {"Authorization": f"Bearer {token}"}',
               "Authorization: Bearer YOUR_ACCESS_TOKEN_HERE", "Authorization: Bearer <token>",
               "Authorization: Basic {{b64:aladdin:opensesame}}",
               "Authorization: Bearer deadbeef12346"),
    },
    {
        "id": "api-key-header",
        "description": "Credential in an X-Api-Key style header",
        "regex": r"(?i)(?<![a-z0-9\-])x-(?:api|auth|access)-(?:key|token)[\"']?[ \t]{0,3}[:=]"
                 r"[ \t]{0,3}[\"']?(?P<s>[A-Za-z0-9._~+/=\-]{12,512})",
        "keywords": ("x-api-", "x-auth-", "x-access-"),
        "ci": True,
        "check": "header",
        "loose": True,
        "tp": ('curl -H "X-Api-Key: {{N32}}" https://api.internal',),
        "fp": ('curl -H "X-Api-Key: $API_KEY" https://api.internal',),
    },
    {
        "id": "cli-secret-flag",
        "description": "Credential passed as a command-line flag",
        "regex": r"(?i)(?<![\w\-])--?(?:password|passwd|pass|token|api-key|apikey|secret|"
                 r"client-secret|auth-token|access-token)(?:=|[ \t]{1,4})"
                 r"(?P<q>[\"']?)(?P<s>[^\s\"']{4,200})(?P=q)",
        "keywords": ("-pass", "-token", "-api-key", "-apikey", "-secret", "-client-secret"),
        "ci": True,
        "check": "flag",
        "loose": True,
        "tp": ("psql --pass{{}}word={{l4}}{{d3}}{{u3}} -h db",
               "mycli deploy --api-key {{N32}}",
               "docker login -u bot --pass{{}}word {{l5}}{{d4}}{{u2}}"),
        "fp": ("docker login -u bot --pass{{}}word-stdin < token.txt",
               "mycli --token $API_TOKEN", "gh auth login --with-token < token.txt",
               'mycli --secret "${{ secrets.DEPLOY }}"',
               "docker build --secret id=pip_index_url,env=PIP_INDEX_URL ."),
    },
    {
        "id": "curl-basic-auth",
        "description": "User and password passed to curl -u",
        "regex": r"(?<![\w\-])(?:-u|--user)[ \t]{1,4}(?P<q>[\"']?)(?P<u>[^\s:\"'$]{1,64}):"
                 r"(?P<s>[^\s\"']{4,200})(?P=q)",
        "keywords": ("-u", "--user"),
        "requires": ("curl",),
        "check": "uri",
        "loose": True,
        "tp": ("curl -u deploy:{{l4}}{{d3}}{{u3}} https://ci.internal/api",),
        "fp": ('curl -u "$USER:$PASS" https://ci.internal/api',
               "curl -u admin:admin http://localhost:8080"),
    },
    {
        "id": "mysql-cli-password",
        "description": "Password passed to the mysql client as -pPASSWORD",
        "regex": r"(?<![\w\-])mysql(?:dump|admin|sh|import|check)?[ \t][^\n|;&]{0,200}?"
                 r"(?<=[ \t])-p(?P<q>[\"']?)(?P<s>[^\s\"']{4,128})(?P=q)",
        "keywords": ("mysql",),
        "check": "flag",
        "loose": True,
        "tp": ("mysql -h db -u root -p{{l4}}{{d3}}{{u3}} app",),
        "fp": ("mysql -h db -u root -p app", 'mysql -u root -p"$MYSQL_ROOT_PASSWORD" app'),
    },
    {
        "id": "netrc-password",
        "description": "Password in a .netrc entry",
        "regex": r"(?i)(?<![a-z])machine[ \t]+\S{1,255}\s{1,4}login[ \t]+\S{1,255}\s{1,4}"
                 r"password[ \t]+(?P<s>\S{4,200})",
        "keywords": ("machine",),
        "ci": True,
        "check": "flag",
        "path": ".netrc",
        "tp": ("machine api.internal login deploy pass{{}}word {{l4}}{{d3}}{{u3}}{{s1}}",),
        "fp": ("machine api.github.com login USERNAME pass{{}}word <token>",),
    },
    {
        "id": "xml-secret-element",
        "description": "Secret-named XML element with a literal value",
        "regex": r"(?i)<(?P<k>[a-z_.\-]{0,30}(?:password|passwd|secret|token|api[_.\-]?key|"
                 r"access[_.\-]?key|secret[_.\-]?key))>(?P<s>[^<>\s]{4,300})</",
        "keywords": ("password>", "passwd>", "secret>", "token>", "key>"),
        "ci": True,
        "check": "xml",
        "loose": True,
        "path": "settings.xml",
        "tp": ("<server><id>repo</id><username>ci</username><pass{{}}word>"
               "{{l4}}{{d3}}{{u3}}{{s1}}</pass{{}}word></server>",),
        "fp": ("<pass{{}}word>${env.REPO_PASSWORD}</pass{{}}word>",
               "<pass{{}}word>{{{N16}}=}</pass{{}}word>"),
    },
    {
        "id": "generic-secret-assignment",
        "description": "Secret-named variable or key assigned a literal value",
        "regex": r"(?:pass(?:word|wd|phrase|code)?|pwd|secret|token|credentials?|apikey|"
                 r"(?:api|access|private|auth|app|signing|encryption|master|account|client|"
                 r"secret)[_.\-]?(?:key|secret))"
                 r"(?P<tail>[a-z0-9_.\-]{0,40})[\"']?[ \t]{0,4}"
                 r"(?::[ \t]{0,4}[a-z_][a-z0-9_\[\]., |]{0,40}?[ \t]{0,4}(?==))?"
                 r"(?::=|=>|=(?![=~>])|:(?![:/\\]))[ \t]{0,4}(?:[rbuf]{1,2}(?=[\"']))?"
                 r"(?P<s>\"(?:[^\"\\\n]|\\.){0,300}\"|'(?:[^'\\\n]|\\.){0,300}'|`[^`\n]{0,300}`"
                 r"|[^\s\"'`;,]{1,300})",
        "keywords": ("password", "passwd", "passphrase", "passcode", "_pass", "pass_", "pass=",
                     "pass:", "pwd", "secret", "token", "credential", "apikey", "api_key",
                     "api-key", "api.key", "accesskey", "access_key", "access-key",
                     "privatekey", "private_key", "private-key", "authkey", "auth_key",
                     "auth-key", "appkey", "app_key", "signing", "encryption", "masterkey",
                     "master_key", "accountkey", "account_key"),
        "ci": True,
        "check": "generic",
        "lower": True,
        "loose": True,
        "tp": (("app/settings.py", 'DB_PASS{{}}WORD = "{{u1}}{{l5}}{{d2}}{{s2}}{{N4}}"'),
               (".env", "DB_PASS{{}}WORD={{l4}}{{s1}}{{d3}}{{u2}}{{s1}}{{l3}}"),
               ("config/app.yaml", "database:\n  pass{{}}word: {{u1}}{{l6}}{{d2}}{{s1}}"),
               ("creds.json", '{"client_sec{{}}ret": "{{N32}}"}'),
               ("application.properties", "spring.datasource.pass{{}}word={{l5}}{{s1}}{{d4}}"),
               ("src/config.js", "const apiKey = '{{N40}}';"),
               ("main.go", 'cfg := Config{Token: "{{N40}}"}'),
               ("deploy.ps1", '$env:API_TOKEN = "{{N32}}"'),
               ("README.md", "Set `SECRET_KEY={{N50}}` in production."),
               ("config.toml", 'api_key = "{{h32}}"'),
               ("", "TWILIO_AUTH_TOKEN={{h32}} ./run.sh")),
        "fp": (("app/settings.py", 'pass{{}}word = os.environ["DB_PASS{{}}WORD"]'),
               ("app/settings.py", "api_key = os.getenv('API_KEY')"),
               ("app/settings.py", 'pass{{}}word = "changeme"'),
               (".env", "API_KEY=your-api-key"),
               (".env", "DB_PASS{{}}WORD=${DB_PASS{{}}WORD}"),
               (".github/workflows/ci.yml", "env:\n  TOKEN: ${{ secrets.DEPLOY_TOKEN }}"),
               ("config.yaml", "pass{{}}word: <pass{{}}word>"),
               ("config.yaml", "token: xxx"),
               ("app.py", "max_tokens = 4096"),
               ("app.py", 'token_type = "bearer"'),
               ("app.py", 'pass{{}}word_hash = "{{h64}}"'),
               ("app.py", 'api{{}}_key = "OPENAI_API_KEY"'),
               ("app.py", 'sec{{}}ret_name = "prod/db/credentials"'),
               ("app.ts", "const token = localStorage.getItem('token');"),
               ("app.py", 'tokenizer = "bert-base-uncased"'),
               ("app.py", 'session_token = "{{h8}}-{{h4}}-4{{h3}}-a{{h3}}-{{h12}}"'),
               ("app.py", 'commit_sha = "{{h40}}"'),
               ("config.yaml", "pass{{}}word: !vault |\n  $ANSIBLE_VAULT;1.1;AES256"),
               ("app.py", 'pass{{}}word = ""'),
               ("README.md", "The `pass{{}}word` field: a string of at least 12 characters."),
               ("docker-compose.yml", "POSTGRES_PASS{{}}WORD: postgres"),
               ("app.py", 'public_key = "{{b64}}"'),
               ("settings.py", 'STRIPE_PUBLISHABLE_KEY = "pk_live_{{N24}}"'),
               ("values.yaml", "existingSecret: my-db-secret"),
               ("app.py", 'auth_token = f"{prefix}-{suffix}"'),
               ("app.py", 'sec{{}}ret = "my.module.SecretBackend"'),
               ("schema.json", '"AWS::IAM::Access{{}}Key": "{{h16}}"'),
               ("style.py", 'Token.Name.Builtin: "#{{h6}}"'),
               ("protocol.py", '"pass{{}}word": "string?", "credentials": "boolean?"'),
               ("abnf.py", 'token = r"[-!#$%&*+.^_|~0-9a-zA-Z]+"'),
               ("paginators.json", '"output_token": "Jobs[-1].JobId"'),
               ("s3.json", '"NextContinuationToken": "{{b60}}=="'),
               ("compiler.py", '_PassArg.environment: "environment"'),
               ("cloud.ini.template", "aws_access_key: @ACCESS_KEY"),
               ("models.py", 'pass{{}}word_last_used = "no_information"'),
               ("main.tf", 'kms_encryption_key = "projects/acme/locations/global/keyRings/'
                           'tf/cryptoKeys/state"')),
    },
]

# --- findings ------------------------------------------------------------------------------------


class Finding(tuple):
    """One finding: a named tuple (line, col, rule, preview, fingerprint).

    line and col are 1-based; preview shows at most the first 4 characters of the value, then
    "…" (or "****" for a short value); fingerprint is the value's SHA-256 in hex, the handle a
    `.secrets-allowlist` uses. Hand-written rather than collections.namedtuple, which would cost
    the hook a module import on every call.
    """

    __slots__ = ()
    _fields = ("line", "col", "rule", "preview", "fingerprint")

    def __new__(cls, line: int, col: int, rule: str, preview: str, fingerprint: str = ""):
        return tuple.__new__(cls, (line, col, rule, preview, fingerprint))

    def __getnewargs__(self):
        return tuple(self)

    @property
    def line(self) -> int:
        return self[0]

    @property
    def col(self) -> int:
        return self[1]

    @property
    def rule(self) -> str:
        return self[2]

    @property
    def preview(self) -> str:
        return self[3]

    @property
    def fingerprint(self) -> str:
        return self[4]

    def _asdict(self) -> dict:
        return dict(zip(self._fields, self, strict=True))

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self._asdict().items())
        return f"Finding({fields})"


def redact(secret: str) -> str:
    """At most the first 4 characters (a quarter of a short value), then an ellipsis."""
    keep = min(4, len(secret) // 4)
    return secret[:keep] + "…" if keep else "****"


def fingerprint(secret: str) -> str:
    import hashlib

    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


# --- compiling, lazily: `re` alone costs more than half an interpreter start ----------------------

_COMPILED: dict = {}


def _re():
    import re

    return re


def compiled(rule: dict, ignorecase: bool = False):
    """The rule's compiled regex (compiled on first use)."""
    key = (rule["id"], ignorecase)
    pattern = _COMPILED.get(key)
    if pattern is None:
        re = _re()
        pattern = _COMPILED[key] = re.compile(rule["regex"], re.I if ignorecase else 0)
    return pattern


class _Original:
    """A match found in the lower-cased text, its groups read from the original text."""

    __slots__ = ("m", "text")

    def __init__(self, m, text: str):
        self.m, self.text = m, text

    def __getitem__(self, group):
        start, end = self.m.span(group)
        return None if start < 0 else self.text[start:end]

    def start(self, group=0) -> int:
        return self.m.start(group)

    def end(self, group=0) -> int:
        return self.m.end(group)

    def span(self, group=0) -> tuple:
        return self.m.span(group)

    def groupdict(self) -> dict:
        return {name: self[name] for name in self.m.re.groupindex}


def _matches(rule: dict, text: str, lower: str | None):
    if not rule.get("lower"):
        yield from compiled(rule).finditer(text)
    elif lower is not None and len(lower) == len(text):
        for m in compiled(rule).finditer(lower):
            yield _Original(m, text)
    else:  # lower-casing changed the length (rare Unicode): positions would not line up
        yield from compiled(rule, ignorecase=True).finditer(text)


# --- validity checks -----------------------------------------------------------------------------

_PLACEHOLDER_WORDS = (
    "example", "xxx", "your", "changeme", "change_me", "change-me", "changeit", "placeholder",
    "dummy", "redacted", "replace", "insert", "sample", "fake", "<", ">", "${", "{{", "$(",
    "%(", "***", "...", "…", "12345678", "abcdefgh", "0000000", "deadbeef", "todo", "fixme",
    "notreal", "not-real", "not_real",
)
# For the loose rules, where a value is only a value because of the name next to it.
_PLACEHOLDER_STRICT = (
    "test", "pass", "secret", "token", "admin", "demo", "foobar", "user", "none", "null",
    "undefined", "default", "string", "boolean", "12345", "%s", "{}", "{0}",
    # Documented example logins: Oracle's scott/tiger (SQLAlchemy's docs), RFC 7617's
    # Aladdin/open sesame, and the web's stock example password.
    "tiger", "sesame", "hunter2",
)
_BOOLEANS = {"true", "false", "yes", "no", "on", "off", "null", "none", "nil", "undefined"}
_PATH_SUFFIXES = (
    ".txt", ".pem", ".key", ".json", ".yaml", ".yml", ".env", ".crt", ".cer", ".p12", ".pfx",
    ".jks", ".gpg", ".asc", ".enc", ".ini", ".conf", ".cfg", ".toml", ".properties", ".csv",
)


def _is_placeholder(value: str, strict: bool = False) -> bool:
    low = value.lower()
    if any(word in low for word in _PLACEHOLDER_WORDS):
        return True
    if strict and any(word in low for word in _PLACEHOLDER_STRICT):
        return True
    return _low_diversity(value)


def _low_diversity(value: str) -> bool:
    """XXXX..., 0000..., abab...: two characters make up most of the value."""
    if len(value) < 8:
        return False
    counts: dict = {}
    for char in value:
        counts[char] = counts.get(char, 0) + 1
    top = sorted(counts.values(), reverse=True)[:2]
    return sum(top) / len(value) >= 0.6


def _entropy(value: str) -> float:
    import math

    if not value:
        return 0.0
    counts: dict = {}
    for char in value:
        counts[char] = counts.get(char, 0) + 1
    size = len(value)
    return -sum(n / size * math.log2(n / size) for n in counts.values())


def _classes(value: str) -> int:
    return (any(c.islower() for c in value) + any(c.isupper() for c in value)
            + any(c.isdigit() for c in value) + any(not c.isalnum() for c in value))


def _is_uuid(value: str) -> bool:
    if len(value) != 36 or [i for i, c in enumerate(value) if c == "-"] != [8, 13, 18, 23]:
        return False
    return all(c in "0123456789abcdefABCDEF" for c in value.replace("-", ""))


def _is_env_name(value: str) -> bool:
    """OPENAI_API_KEY, GITHUB_TOKEN: the name of a variable, not its value."""
    if not value or not value[0].isupper() or not value.replace("_", "").isalnum():
        return False
    return value.upper() == value and ("_" in value or value.isalpha())


def _looks_like_path_or_url(value: str) -> bool:
    if value.startswith(("/", "./", "../", "~/", "file:", "http://", "https://", "arn:")):
        return True
    if _is_resource_name(value):
        return True
    if len(value) > 2 and value[1] == ":" and value[2] in "\\/":
        return True
    return value.lower().endswith(_PATH_SUFFIXES)


def _is_resource_name(value: str) -> bool:
    """projects/p/locations/l/keyRings/r/cryptoKeys/k, alias/app: a cloud resource name,
    not a secret. Three or more readable segments; base64 secrets have few slashes and
    long random segments."""
    parts = value.split("/")
    return len(parts) >= 3 and all(
        part and len(part) <= 63 and part.replace("-", "").replace("_", "").replace(".", "")
        .isalnum() and (len(part) < 16 or _entropy(part) < 3.5)
        for part in parts
    )


def _b64decode(value: str) -> bytes | None:
    import binascii

    value = value.replace("-", "+").replace("_", "/")
    try:
        return binascii.a2b_base64(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None


def _check_token(rule, m, text, ctx):
    secret = m["s"]
    if _is_placeholder(secret):
        return None
    if rule.get("entropy") and _entropy(secret) < rule["entropy"]:
        return None
    return secret, m.start("s")


def _check_mixed(rule, m, text, ctx):
    secret = m["s"]
    if not (any(c.isupper() for c in secret) and any(c.islower() for c in secret)):
        return None
    return _check_token(rule, m, text, ctx)


def _check_discord(rule, m, text, ctx):
    decoded = _b64decode(m["s"].split(".")[0])
    if not decoded or not decoded.isdigit():  # the first part is the bot's numeric user id
        return None
    return _check_token(rule, m, text, ctx)


def _check_azure(rule, m, text, ctx):
    start = text.rfind("\n", 0, m.start()) + 1
    end = text.find("\n", m.end())
    if "devstoreaccount1" in text[start:end if end >= 0 else len(text)]:  # Azurite's key
        return None
    return _check_token(rule, m, text, ctx)


def _check_jwt(rule, m, text, ctx):
    payload = _b64decode(m["s"].split(".")[1]) or b""
    if b'"John Doe"' in payload and b'"1234567890"' in payload:  # jwt.io's sample token
        return None
    return _check_token(rule, m, text, ctx)


def _check_docker_auth(rule, m, text, ctx):
    decoded = _b64decode(m["s"])
    try:
        user, colon, password = (decoded or b"").decode("utf-8").partition(":")
    except UnicodeDecodeError:
        return None
    if not colon or not password or password == user or _is_placeholder(password, strict=True):
        return None
    return m["s"], m.start("s")


def _scheme(text: str, end: int) -> str:
    """The URL scheme just before end ("postgresql+psycopg" -> "postgresql")."""
    start = end
    while start > max(0, end - 40) and (text[start - 1].isalnum() or text[start - 1] in "+.-"):
        start -= 1
    scheme = text[start:end].lower()
    return scheme.removeprefix("git+").split("+", 1)[0]


def _check_uri(rule, m, text, ctx):
    schemes = rule.get("schemes")
    if schemes and _scheme(text, m.start()) not in schemes:
        return False
    secret = m["s"]
    user = m.groupdict().get("u")
    if len(secret) < 4 or secret == user or secret[0] in "$%{<:[*":
        return None
    if _is_placeholder(secret, strict=True):
        return None
    return secret, m.start("s")


def _check_header(rule, m, text, ctx):
    secret = m["s"]
    if _is_placeholder(secret, strict=True) or _entropy(secret) < 3.0:
        return None
    decoded = _b64decode(secret) if len(secret) % 4 == 0 else None
    if decoded and b":" in decoded:  # Basic user:password
        password = decoded.partition(b":")[2].decode("utf-8", "replace")
        if not password or _is_placeholder(password, strict=True):
            return None
    return secret, m.start("s")


_SPEC_KEYS = ("id=", "src=", "source=", "env=", "type=", "target=")


def _check_flag(rule, m, text, ctx):
    secret = m["s"]
    if secret.startswith(_SPEC_KEYS):  # docker build --secret id=x,env=Y: a reference
        return None
    if not _unquoted_ok(secret, "config"):
        return None
    return secret, m.start("s")


def _check_xml(rule, m, text, ctx):
    kind = _secret_key(m["k"])
    secret = m["s"]
    if kind is None or (secret.startswith("{") and secret.endswith("}")):
        return None  # {...} is Maven's encrypted-password form
    if not _quoted_ok(secret, kind, ctx):
        return None
    return secret, m.start("s")


_PASSWORD_WORDS = ("password", "passwd", "passphrase", "passcode")
_PASSWORD_SEGMENTS = {"pass", "pwd", *_PASSWORD_WORDS}
_SECRET_ENDINGS = ("secret", "token", "apikey", "accesskey", "secretkey", "privatekey",
                   "credential", "credentials")
_KEY_PAIRS = {"api", "access", "private", "auth", "app", "signing", "encryption", "master",
              "account", "secret", "client", "session"}
_NOT_SECRET_LAST = {
    "url", "uri", "urls", "endpoint", "host", "hostname", "port", "path", "paths", "file",
    "filename", "files", "dir", "directory", "name", "names", "type", "types", "kind", "id",
    "ids", "length", "len", "size", "count", "env", "var", "variable", "header", "headers",
    "prefix", "suffix", "field", "fields", "column", "policy", "expiry", "expires",
    "expiration", "ttl", "timeout", "lifetime", "age", "format", "hash", "hashed", "digest",
    "sha", "md5", "checksum", "regex", "pattern", "label", "hint", "min", "max", "limit",
    "version", "enabled", "required", "param", "params", "mode", "scope", "scopes", "provider",
    "manager", "service", "class", "method", "algorithm", "alg", "ref", "arn", "source",
    "fingerprint", "help", "description", "desc", "text", "message", "msg", "error", "errors",
    "prompt", "placeholder", "validator", "validation", "strength", "changed", "updated",
    "created", "at", "date", "time", "index", "reset", "rotation", "store", "location",
    "template", "usage", "input", "visible", "flag", "key_id", "generator", "factory", "used",
}
# A token that is a cursor or a request id, not a credential.
_NOT_SECRET_ANY = {"public", "publishable", "pub", "next", "continuation", "page", "pagination",
                   "paging", "sync", "idempotency", "marker", "cancellation", "output", "input"}


_SEGMENT = None
_KEY_KINDS: dict = {}  # memo of _secret_key: names repeat


def _secret_key(key: str) -> str | None:
    """"password" or "secret" if the name is a secret's name (DB_PASSWORD, apiKey, ...)."""
    global _SEGMENT
    if _SEGMENT is None:
        _SEGMENT = _re().compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
    parts = key.split(".")
    key = ".".join(parts[-2:]) if parts[-1].lower() in ("key", "secret") else parts[-1]
    segments = [s.lower() for s in _SEGMENT.findall(key) if not s.isdigit()]
    if not segments or segments[-1] in _NOT_SECRET_LAST:
        return None
    if any(s in _NOT_SECRET_ANY for s in segments):
        return None
    kind = None
    for i, seg in enumerate(segments):
        if seg.endswith(_PASSWORD_WORDS) or (seg in _PASSWORD_SEGMENTS and i == len(segments) - 1):
            return "password"
        if seg.endswith(_SECRET_ENDINGS) or (seg == "key" and i and segments[i - 1] in _KEY_PAIRS):
            kind = "secret"
    return kind


def _looks_like_code(value: str) -> bool:
    """A template, format string, regex or expression rather than a literal."""
    if "{" in value and "}" in value[value.index("{"):]:
        return True
    pairs = sum(1 for a, b in ("()", "[]") if a in value and b in value[value.index(a):])
    return pairs == 2 or (pairs == 1 and "[" in value and _re().search(r"\w\[[^\]]*\]", value)
                          is not None)


def _is_template_variable(value: str) -> bool:
    """@ACCESS_KEY@, @DB_PASSWORD: a substitution placeholder."""
    return value[:1] == "@" and _is_env_name(value.strip("@"))


def _quoted_ok(value: str, kind: str, ctx: str) -> bool:
    if len(value) < 6 or value != value.strip() or value.isdigit() or value.count(" ") >= 2:
        return False
    if value[0] in "$%{<#" or _is_placeholder(value, strict=True):
        return False
    if _looks_like_code(value) or _is_template_variable(value):
        return False
    if _is_env_name(value) or _is_uuid(value) or _looks_like_path_or_url(value):
        return False
    if kind != "password" and _is_name(value):  # "bearer", "db-credentials": a name
        return False
    if value.startswith(_PUBLISHABLE):
        return False
    if "." in value and value.replace(".", "").replace("_", "").isalnum() and not any(
            c.isdigit() for c in value):  # my.module.Backend
        return False
    return _entropy(value) >= 2.0


_PUBLISHABLE = ("pk_live_", "pk_test_", "pk.eyJ")  # Stripe and Mapbox publishable keys


def _is_name(value: str) -> bool:
    """Words and separators only (db-credentials, my_secret_name): a name, not a secret."""
    return value.replace("-", "").replace("_", "").replace(".", "").isalpha()


def _unquoted_ok(value: str, ctx: str, kind: str = "password") -> bool:
    value = value.rstrip(",;)")
    if ctx == "code" or len(value) < 6 or value.isdigit():
        return False
    if value[0] in "$%{<[(/\\~.&*|>#!-" or any(c in value for c in "()[]{}"):
        return False
    if value.lower() in _BOOLEANS or _looks_like_path_or_url(value) or "://" in value:
        return False
    if _is_placeholder(value, strict=True) or _is_env_name(value) or _is_uuid(value):
        return False
    if (kind != "password" and _is_name(value)) or value.startswith(_PUBLISHABLE):
        return False
    if _is_template_variable(value):
        return False
    identifier = value.replace("_", "").replace(".", "").isalnum() and not value[0].isdigit()
    if identifier:
        if "." in value:  # settings.API_KEY, self.password
            return False
        if ctx == "config":
            return _classes(value) >= 2
        return (any(c.isdigit() for c in value) and any(c.isalpha() for c in value)
                and len(value) >= 10 and _entropy(value) >= 3.0)
    return _classes(value) >= 2 and _entropy(value) >= 2.0


def _check_generic(rule, m, text, ctx):
    raw, pos = m["s"], m.start("s")
    quoted = raw[0] in "\"'`"
    if not quoted and ctx == "code":  # an expression: os.environ["X"], settings.KEY
        return None
    start = m.start()
    low = max(0, start - 60)
    while start > low and (text[start - 1].isalnum() or text[start - 1] in "_.-"):
        start -= 1
    if text[max(0, start - 2):start] == "::":  # AWS::IAM::AccessKey: a type name
        return None
    key = text[start:m.end("tail")].strip("\"'.-")
    kind = _KEY_KINDS.get(key, "?")
    if kind == "?":
        kind = _KEY_KINDS[key] = _secret_key(key)
    if kind is None:
        return None
    if quoted:
        value = raw[1:-1]
        if not _quoted_ok(value, kind, ctx):
            return None
        if text[pos - 1:pos] in ("r", "R") and any(c in value for c in "[\\(*+?^$"):
            return None  # a raw string with regex syntax: a pattern, not a secret
        return value, pos + 1
    if not _unquoted_ok(raw, ctx, kind):
        return None
    return raw.rstrip(",;)"), pos


_CHECKS = {
    "token": _check_token, "mixed": _check_mixed, "discord": _check_discord,
    "azure": _check_azure, "jwt": _check_jwt, "docker_auth": _check_docker_auth,
    "uri": _check_uri, "header": _check_header, "flag": _check_flag, "xml": _check_xml,
    "generic": _check_generic,
}

# --- scanning ------------------------------------------------------------------------------------

_LOCK_FILES = {
    "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock",
    "poetry.lock", "pipfile.lock", "uv.lock", "pdm.lock", "cargo.lock", "gemfile.lock",
    "composer.lock", "go.sum", "packages.lock.json", "gradle.lockfile", "flake.lock",
    "mix.lock", "pubspec.lock", "podfile.lock", "package.resolved", "conda-lock.yml",
}
_CODE_SUFFIXES = {
    ".py", ".pyi", ".ipynb", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx", ".go",
    ".java", ".kt", ".kts", ".scala", ".groovy", ".rb", ".rs", ".cs", ".fs", ".php", ".swift",
    ".c", ".h", ".cc", ".cpp", ".hpp", ".m", ".dart", ".lua", ".pl", ".r", ".ex", ".exs",
    ".clj", ".vue", ".svelte", ".sql",
}
_CONFIG_SUFFIXES = {
    ".env", ".ini", ".cfg", ".conf", ".properties", ".yaml", ".yml", ".toml", ".npmrc",
    ".pypirc", ".netrc", ".sh", ".bash", ".zsh", ".fish", ".ps1", ".psm1", ".bat", ".cmd",
    ".tf", ".tfvars", ".hcl", ".envrc", ".service", ".desktop",
}
_CONFIG_NAMES = {"dockerfile", "makefile", "containerfile", "procfile", ".netrc", ".npmrc",
                 ".pypirc", ".envrc", "_netrc"}


def _file_name(path: str) -> str:
    """The last component of a POSIX or Windows path, lower-cased (no pathlib: it is slow)."""
    return path.replace("\\", "/").rsplit("/", 1)[-1].lower()


def _context(name: str) -> str:
    """"code" (an unquoted value is an expression), "config" (it is a literal) or "other"."""
    if name.startswith(".env") or name in _CONFIG_NAMES or name.endswith(".env"):
        return "config"
    suffix = name[name.rfind("."):] if "." in name else ""
    if suffix in _CODE_SUFFIXES:
        return "code"
    if suffix in _CONFIG_SUFFIXES:
        return "config"
    return "other"


def _is_lock_file(name: str) -> bool:
    return name in _LOCK_FILES or name.endswith((".lock", ".lockfile"))


def scan_text(text: str, path: str = "") -> list[Finding]:
    """Findings in text, sorted by position. path (POSIX or Windows, may be empty) gives the
    context: lock files, code (unquoted values are expressions) or configuration."""
    return _scan(text, path)


def _scan(text: str, path: str = "", ctx: str | None = None) -> list[Finding]:
    if not text:
        return []
    name = _file_name(path)
    lock = _is_lock_file(name)
    ctx = ctx or _context(name)
    lower = None
    hits: list = []  # (pos, rule id, secret)
    claimed = _Spans()  # spans recognised by a strict rule, accepted or let through
    for rule in RULES:
        loose = rule.get("loose", False)
        if lock and loose:
            continue
        if rule.get("ci"):
            if lower is None:
                lower = text.lower()
            hay = lower
        else:
            hay = text
        if not any(k in hay for k in rule["keywords"]):
            continue
        if not all(r in hay for r in rule.get("requires", ())):
            continue
        check = _CHECKS[rule.get("check", "token")]
        claimed.freeze()
        for m in _matches(rule, text, lower):
            span = m.span("s")
            if claimed.overlaps(*span):
                continue
            result = check(rule, m, text, ctx)
            if result is False:  # not this rule's format after all
                continue
            if result is not None or not loose:
                claimed.add(*span)
            if result is not None:
                secret, pos = result
                hits.append((m.start() if rule.get("at_match") else pos, rule["id"], secret))
    if not hits:
        return []
    hits.sort()
    findings = []
    line, last = 1, 0
    pragmas = "pragma: allowlist" in text
    for pos, rule_id, secret in hits:
        line += text.count("\n", last, pos)
        last = pos
        line_start = text.rfind("\n", 0, pos) + 1
        if pragmas and _pragma_allows(text, line_start):
            continue
        findings.append(Finding(line, pos - line_start + 1, rule_id, redact(secret),
                                fingerprint(secret)))
    return findings


class _Spans:
    """Claimed (start, end) spans; overlap queries in O(log n) against the frozen set."""

    def __init__(self):
        self.spans: list = []
        self.starts: list = []
        self.max_ends: list = []
        self.frozen = 0

    def add(self, start: int, end: int) -> None:
        self.spans.append((start, end))

    def freeze(self) -> None:
        """Index the spans added so far (the matches of one rule never overlap each other)."""
        if len(self.spans) == self.frozen:
            return
        self.spans.sort()
        self.starts = [start for start, _ in self.spans]
        self.max_ends, top = [], -1
        for _, end in self.spans:
            top = max(top, end)
            self.max_ends.append(top)
        self.frozen = len(self.spans)

    def overlaps(self, start: int, end: int) -> bool:
        if not self.starts:
            return False
        from bisect import bisect_left

        i = bisect_left(self.starts, end)
        return i > 0 and self.max_ends[i - 1] > start


def _pragma_allows(text: str, line_start: int) -> bool:
    end = text.find("\n", line_start)
    if PRAGMA in text[line_start:end if end >= 0 else len(text)]:
        return True
    if line_start == 0:
        return False
    previous = text.rfind("\n", 0, line_start - 1) + 1
    return PRAGMA_NEXTLINE in text[previous:line_start]


# --- example shapes (used by the tests and the benchmark) -----------------------------------------


def _charsets() -> dict:
    import string

    upper, lower, digits = string.ascii_uppercase, string.ascii_lowercase, string.digits
    symbols = "!@#%^&*-_+=.?~"
    bech32 = "".join(c for c in lower + digits if c not in "1bio")
    return {
        "u": upper, "l": lower, "d": digits, "h": digits + "abcdef", "H": digits + "ABCDEF",
        "U": upper + digits, "a": lower + digits, "N": upper + lower + digits,
        "b": upper + lower + digits + "+/", "B": upper + lower + digits + "_-",
        "w": upper + "234567", "s": symbols, "p": upper + lower + digits + symbols,
        "P": upper + lower + digits + "!*-_.~", "X": "X", "x": "x", "z": bech32,
        "Z": bech32.upper(),
    }


def expand_shape(shape: str, rng=None) -> str:
    """Build an example from a rule's tp/fp shape (see the comment above RULES)."""
    import base64
    import random

    re = _re()
    rng = rng or random.Random(shape)
    sets = _charsets()
    text = re.sub(r"\{\{([A-Za-z])([0-9]+)\}\}",
                  lambda m: "".join(rng.choice(sets[m[1]]) for _ in range(int(m[2]))), shape)
    text = text.replace("{{}}", "")

    def encode(m) -> str:
        data = m[2].encode()
        if m[1] == "b64u":
            return base64.urlsafe_b64encode(data).decode().rstrip("=")
        return base64.b64encode(data).decode()

    return re.sub(r"\{\{(b64u?):(.*?)\}\}(?!\})", encode, text, flags=re.S)


# --- the allowlist file --------------------------------------------------------------------------


def _pure(path: str):
    from pathlib import PurePosixPath, PureWindowsPath

    if "\\" in path or (len(path) > 1 and path[1] == ":"):
        return PureWindowsPath(path)
    return PurePosixPath(path)


def _relative(path: str, root) -> str:
    """path relative to root, with / separators; as it was when it is outside root."""
    pure = _pure(path)
    if root is not None:
        base = _pure(str(root))
        if type(pure) is type(base) and pure.is_absolute():
            try:
                return pure.relative_to(base).as_posix()
            except ValueError:
                pass
    return pure.as_posix()


class Allowlist:
    """The parsed .secrets-allowlist; an empty one when there is none."""

    def __init__(self, text: str = "", root=None):
        self.root = root
        self.paths: list = []
        self.rules: list = []  # (rule id, glob or None)
        self.hashes: list = []
        for raw in text.splitlines():
            line = raw.split("#", 1)[0].strip()
            kind, _, value = line.partition(":")
            value = value.strip()
            if not value:
                continue
            if kind == "path":
                self.paths.append(value)
            elif kind == "rule":
                rule, _, glob = value.partition(" ")
                self.rules.append((rule, glob.strip() or None))
            elif kind == "sha256" and len(value) >= 12:
                self.hashes.append(value.lower())

    @classmethod
    def find(cls, start) -> "Allowlist":
        """The allowlist in start or the nearest parent, not above the directory with .git."""
        from pathlib import Path

        directory = Path(start)
        if not directory.is_absolute():
            return cls()
        for candidate in (directory, *directory.parents):
            target = candidate / ALLOWLIST_FILE
            try:
                if target.is_file():
                    return cls(target.read_text(encoding="utf-8", errors="replace"), candidate)
                if (candidate / ".git").exists():
                    break
            except OSError:
                break
        return cls(root=directory)

    def _match(self, rel: str, glob: str) -> bool:
        import fnmatch

        return fnmatch.fnmatch(rel, glob) or fnmatch.fnmatch(rel, glob.lstrip("/"))

    def path_allowed(self, rel: str) -> bool:
        return any(self._match(rel, glob) for glob in self.paths)

    def allows(self, finding: Finding, rels: list) -> bool:
        """rels: the files the finding would land in, relative to the root (maybe none)."""
        if any(finding.fingerprint.startswith(h) for h in self.hashes):
            return True
        for rule, glob in self.rules:
            if rule == finding.rule and (
                    glob is None or (rels and all(self._match(r, glob) for r in rels))):
                return True
        return False

    def filter(self, findings: list, rels: list) -> list:
        if rels and all(self.path_allowed(r) for r in rels):
            return []
        return [f for f in findings if not self.allows(f, rels)]


# --- the hook ------------------------------------------------------------------------------------


class BadInput(Exception):
    """The hook input cannot be understood."""


def _string(tool_input: dict, key: str) -> str:
    value = tool_input.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadInput(f"tool_input.{key} is not a string")
    return value


def _pieces(tool: str, tool_input: dict) -> list:
    """What the call would write: (kind, path, text, old_string, label) tuples."""
    if tool == "Write":
        return [("file", _string(tool_input, "file_path"), _string(tool_input, "content"), "",
                 "")]
    if tool == "Edit":
        return [("file", _string(tool_input, "file_path"), _string(tool_input, "new_string"),
                 _string(tool_input, "old_string"), "")]
    if tool == "MultiEdit":
        edits = tool_input.get("edits") or []
        if not isinstance(edits, list) or not all(isinstance(e, dict) for e in edits):
            raise BadInput("tool_input.edits is not a list of objects")
        path = _string(tool_input, "file_path")
        return [("file", path, _string(e, "new_string"), _string(e, "old_string"), "")
                for e in edits]
    if tool == "NotebookEdit":
        if tool_input.get("edit_mode") == "delete":
            return []
        cell = tool_input.get("cell_id") or tool_input.get("cell_number")
        label = f" (cell {cell})" if cell is not None else ""
        return [("cell", _string(tool_input, "notebook_path"),
                 _string(tool_input, "new_source"), "", label)]
    if tool in ("Bash", "PowerShell"):
        return [("bash", "", _string(tool_input, "command"), "", "")]
    return []


def _line_offset(path: str, old: str) -> int:
    """Lines above old_string in the file an Edit changes (0 when unknown)."""
    if not old or not path:
        return 0
    from pathlib import Path

    try:
        content = Path(path).read_text(encoding="utf-8", errors="replace")
    except (OSError, ValueError):
        return 0
    index = content.find(old)
    return content.count("\n", 0, index) if index >= 0 else 0


_TARGETS = (
    r"(?:^|[\s;&|(])(?:[0-9]?>>?|>\||&>>?)[ \t]*(['\"]?)(?P<t>[^\s'\";&|<>()]+)\1",
    r"\btee(?:[ \t]+-[a-z-]+)*[ \t]+(['\"]?)(?P<t>[^\s'\";&|<>()]+)\1",
    r"\bsed[ \t]+(?:[^\n;&|]*?[ \t])?-(?:i|-in-place)\S*[ \t][^\n;&|]*?[ \t](['\"]?)"
    r"(?P<t>[^\s'\";&|<>()]+)\1[ \t]*(?:$|[;&|\n])",
)


# PowerShell: Set-Content, Add-Content, Out-File, New-Item -Value and tee with a path, by
# position or -Path / -FilePath / -LiteralPath (> and >> are read by _TARGETS).
_PS_TARGETS = (
    r"(?i)\b(?:Set-Content|Add-Content|Out-File|New-Item|Tee-Object|sc|ac)\b[^\n;|]*?"
    r"(?:-(?:Path|FilePath|LiteralPath)[ \t:]+|[ \t])(['\"]?)(?P<t>(?!-)[^\s'\";&|<>()]+)\1",
    r"(?i)\[(?:System\.)?IO\.File\]::(?:Write|Append)All(?:Text|Lines|Bytes)\(\s*(['\"])"
    r"(?P<t>[^'\"]+)\1",
)


def bash_targets(command: str, powershell: bool = False) -> list:
    """Files a shell command writes through >, >>, tee or sed -i (best effort); for
    PowerShell, also Set-Content, Add-Content, Out-File and [IO.File]::WriteAllText."""
    re = _re()
    targets = []
    for pattern in _TARGETS + (_PS_TARGETS if powershell else ()):
        for m in re.finditer(pattern, command, re.M):
            target = m["t"]
            if target.startswith(("&", "/dev/")) or target in targets:
                continue
            targets.append(target)
    return targets


_FIX = (
    "How to fix: do not write the value. Read it at run time from an environment variable "
    "(os.environ[\"NAME\"], process.env.NAME, ${NAME} in configuration) or a secret manager "
    "(Vault, AWS Secrets Manager, GCP Secret Manager, Azure Key Vault, 1Password, Doppler, "
    "GitHub Actions secrets), and write a placeholder such as ${NAME} or an .env.example entry "
    "instead. If the value is a real credential, rotate it. Do not split or encode it to get "
    "past this check.\n"
    "A deliberate false positive (a test fixture, a documented example)? End that line with "
    f"the comment `{PRAGMA}` (as detect-secrets reads it), or add a line to "
    f"{ALLOWLIST_FILE} at the project root: `sha256:<fingerprint>` for this exact value, "
    "`rule:<rule-id> [glob]` for a rule, or `path:<glob>` for files.\n"
)


def _describe(rule_id: str) -> str:
    for rule in RULES:
        if rule["id"] == rule_id:
            return rule["description"]
    return rule_id  # pragma: no cover - findings only carry ids from RULES


def _hook(data: bytes | str, stderr) -> int:
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        event = parse_json(text)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BadInput(f"not JSON: {exc}") from None
    if not isinstance(event, dict):
        raise BadInput("not a JSON object")
    tool = event.get("tool_name") or ""
    tool_input = event.get("tool_input") or {}
    if not isinstance(tool, str) or not isinstance(tool_input, dict):
        raise BadInput("tool_name or tool_input has the wrong type")
    found = []
    for kind, path, text, old, label in _pieces(tool, tool_input):
        findings = _scan(text, path, "config" if kind == "bash" else None)
        if findings:
            found.append((kind, path, old, label, text, findings))
    if not found:
        return 0

    start = os.environ.get("CLAUDE_PROJECT_DIR") or event.get("cwd") or os.getcwd()
    cwd = event.get("cwd") or start
    allow = Allowlist.find(start)
    lines = []
    for kind, path, old, label, text, findings in found:
        if kind == "bash":
            targets = bash_targets(text, tool == "PowerShell")
            rels = [_relative(t if _pure(t).is_absolute() else str(_pure(str(cwd)) / t),
                              allow.root) for t in targets]
            where = f"{tool} command"
            if targets:
                where += f" (writes to {', '.join(targets)})"
            offset = 0
        else:
            rels = [_relative(path, allow.root)] if path else []
            where = (_relative(path, _pure(str(start))) if path else "(no path)") + label
            offset = _line_offset(path, old) if kind == "file" else 0
        for f in allow.filter(findings, rels):
            lines.append(f"  {where}:{f.line + offset}:{f.col}: {f.rule} {f.preview} "
                         f"({_describe(f.rule)}) sha256:{f.fingerprint[:16]}")
    if not lines:
        return 0
    count = "1 likely credential" if len(lines) == 1 else f"{len(lines)} likely credentials"
    verb = "run" if tool in ("Bash", "PowerShell") else "write"
    _write(stderr, f"secret_guard: blocked {tool}: {count} in what it would {verb}.\n"
           + "\n".join(lines) + "\n" + _FIX)
    return 2


_write = say


# --- the command line ----------------------------------------------------------------------------

_SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox",
              ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache"}


def _walk(path):
    if path.is_dir() and not path.is_symlink():
        for child in sorted(path.iterdir()):
            if child.name not in _SKIP_DIRS:
                yield from _walk(child)
    elif path.is_file():
        yield path


def _decode(data: bytes) -> str | None:
    if b"\0" in data[:8192]:
        return None  # binary
    return data.decode("utf-8", errors="replace")


def _report(out, shown: str, text: str, rel: str, allow: Allowlist) -> int:
    findings = allow.filter(_scan(text, rel), [rel])
    for f in findings:
        _write(out, f"{shown}:{f.line}: {f.rule} {f.preview}\n")
    return len(findings)


def _cli_scan(paths: list, out, err) -> int:
    from pathlib import Path

    allow = Allowlist.find(os.environ.get("CLAUDE_PROJECT_DIR") or Path.cwd())
    found, failed = 0, False
    for given in paths:
        path = Path(given)
        if not path.exists():
            _write(err, f"secret_guard: no such file or directory: {given}\n")
            failed = True
            continue
        for file in _walk(path):
            try:
                if file.stat().st_size > MAX_SCAN_BYTES:
                    continue
                text = _decode(file.read_bytes())
            except OSError as exc:
                _write(err, f"secret_guard: cannot read {file}: {exc.strerror}\n")
                failed = True
                continue
            if text is not None:
                found += _report(out, str(file), text, _relative(str(file.resolve()),
                                                                  allow.root), allow)
    return 2 if failed else (1 if found else 0)


def _git(args: list, cwd=None) -> bytes:
    return git_output(args, cwd, text=False)


def _cli_staged(out, err) -> int:
    from pathlib import Path

    try:
        root = Path(_git(["rev-parse", "--show-toplevel"]).decode().strip())
        names = _git(["diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR"], root)
        allow = Allowlist.find(root)
        found = 0
        for name in filter(None, names.decode("utf-8", "surrogateescape").split("\0")):
            text = _decode(_git(["cat-file", "blob", f":{name}"], root))
            if text is not None:
                found += _report(out, name, text, name, allow)
    except (OSError, UnicodeError) as exc:
        _write(err, f"secret_guard: --staged needs a git repository and git: {exc}\n")
        return 2
    return 1 if found else 0


def _cli(argv: list, out, err) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="secret_guard.py", description="Find credentials in files or in the git index.",
        epilog="Without arguments, reads a Claude Code PreToolUse hook event on stdin.")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--scan", nargs="+", metavar="PATH", help="scan files and directories")
    group.add_argument("--staged", action="store_true", help="scan the files staged in git")
    group.add_argument("--list-rules", action="store_true", help="print the rule ids")
    args = parser.parse_args(argv)
    if args.list_rules:
        for rule in RULES:
            _write(out, f"{rule['id']}\t{rule['description']}\n")
        return 0
    if args.staged:
        return _cli_staged(out, err)
    return _cli_scan(args.scan, out, err)


def main(argv=None, stdin=None, stdout=None, stderr=None) -> int:
    """Hook mode without arguments (exit 0 allow, 2 block, 1 own failure); else the CLI."""
    argv = sys.argv[1:] if argv is None else argv
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if argv:
        try:
            return _cli(argv, stdout, stderr)
        except SystemExit as exc:  # argparse: --help, usage errors
            return exc.code if isinstance(exc.code, int) else 2
    stdin = stdin or sys.stdin
    try:
        data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
        return _hook(data, stderr)
    except BadInput as exc:
        _write(stderr, f"secret_guard: unreadable hook input, not checked ({exc})\n")
    except Exception as exc:  # noqa: BLE001 - never a traceback, never a block by accident
        detail = " ".join(str(exc).split())
        _write(stderr, f"secret_guard: internal error, not checked ({type(exc).__name__}: "
                       f"{detail})\n")
    return 1


if __name__ == "__main__":
    sys.exit(main())
