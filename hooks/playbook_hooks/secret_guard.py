#!/usr/bin/env python3
"""Block credentials before Claude writes them to a file or runs them in a command.

Event: PreToolUse. Matcher: `Write|Edit|MultiEdit|NotebookEdit|Bash|PowerShell` (registered in
hooks/hooks.json; the launcher is hooks/secret_guard.py).

Before a tool call runs, this hook scans what it is about to write (in any client's payload:
Codex's apply_patch, Copilot's, Gemini's, Cursor's and OpenCode's shapes are read by
playbook_hooks/payloads.py): a Write's `content`, an
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
`EXAMPLE`, jwt.io's sample token. So are hashes, git SHAs, UUIDs not named as secrets, public
keys, publishable keys (`pk_live_...`), and the loose rules in lock files (`package-lock.json`,
`uv.lock`, ...).

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
from .payloads import BadInput, changes, deny, powershell, tool_call

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
#                     {{b64:...}} / {{b64u:...}} base64-encode their content; {{crc}} is the
#                     GitHub checksum of the 30 characters before it.

RULES: list[dict] = [
    {
        "id": "aws-access-key-id",
        "description": "AWS access key ID",
        "regex": r"(?<![A-Z0-9])(?P<s>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Z0-9])",
        "keywords": ("AKIA", "ASIA", "ABIA", "ACCA"),
        "tp": ("AKIA{{w16}}", "export AWS_ACCESS_KEY_ID=ASIA{{w16}}",
               '"AccessKeyId": "AKIA{{w16}}"'),
        "fp": ("AKIA{{w9}}EXAMPLE", "AKIA{{X16}}", "aws_access_key_id = ${AWS_ACCESS_KEY_ID}",
               "AKIA{{w7}}0{{w8}}",  # the 16 characters are base32: no 0, 1, 8 or 9
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
        "check": "github",
        "tp": ("ghp_{{N30}}{{crc}}", "GITHUB_TOKEN=ghp_{{N30}}{{crc}}",
               "https:/{{}}/x:ghp_{{N30}}{{crc}}@github.com/o/r.git"),
        "fp": ("ghp_{{X36}}", "GITHUB_TOKEN=ghp_your_token_here", "ghp_{{N20}}",
               "ghp_{{N30}}000000"),  # the last 6 characters are no CRC32 of the first 30
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
        "check": "github",
        "tp": ("gho_{{N30}}{{crc}}",),
        "fp": ("gho_{{x36}}",),
    },
    {
        "id": "github-app-token",
        "description": "GitHub App user-to-server or installation token",
        "regex": _L + r"(?P<s>(?:ghu|ghs)_[A-Za-z0-9]{36})" + _R,
        "keywords": ("ghu_", "ghs_"),
        "check": "github",
        "tp": ("ghs_{{N30}}{{crc}}", "ghu_{{N30}}{{crc}}"),
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
        "regex": _L + r"(?P<s>glptt-[0-9A-Za-z_\-]{40})" + _R,
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
        # current xoxb-<team>-<bot>-<secret>, and the legacy xoxb-<id>-<secret>
        "regex": _L + r"(?P<s>xoxb-[0-9]{8,14}-(?:[0-9]{9,14}-)?[A-Za-z0-9]{18,48})" + _R,
        "keywords": ("xoxb-",),
        "tp": ("xoxb-{{d12}}-{{d13}}-{{N24}}",),
        "fp": ("xoxb-{{}}000000000000-0000000000000-{{X24}}",
               "SLACK_BOT_TOKEN=xoxb-your-bot-token"),
    },
    {
        "id": "slack-user-token",
        "description": "Slack user, workspace, legacy or configuration token",
        # xoxp-/xoxa-/xoxo-/xoxs-/xoxr- with one to three numeric ids (legacy tokens have a
        # hex tail), xoxe-1-... configuration refresh and xoxe.xoxp-1-... access tokens
        "regex": _L + r"(?P<s>(?:xoxe\.)?xox[paosre]-(?:[0-9]-)?(?:[0-9]{5,14}-){0,3}"
                      r"[A-Za-z0-9]{10,200})" + _R,
        "keywords": ("xoxp-", "xoxa-", "xoxe-", "xoxe.", "xoxo-", "xoxs-", "xoxr-"),
        "check": "mixed_or_hex",
        "entropy": 3.0,
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
        "regex": _L + r"(?P<s>hv[sb]\.[A-Za-z0-9_\-]{24,400})" + _R,
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
        "id": "jenkins-credential-secret",
        "description": "Secret in a Jenkins credentials XML (hudson.util.Secret)",
        # Jenkins stores a credential as {base64 of 0x01, IV length, IV, ciphertext}, which
        # always starts AQAAABAAAAA; the key that opens it sits in the same JENKINS_HOME.
        "regex": r"<(?P<k>[A-Za-z]{2,30})>\{(?P<s>(?:[\w.\-]{1,40}[ \t])?AQAAABAAA"
                 r"[A-Za-z0-9+/=._:;~|\-%#@!$&*^? \t]{8,2000})\}</(?P=k)>",
        "keywords": ("AQAAABAAA",),
        "entropy": 3.0,
        "path": "credentials.xml",
        "tp": ("<com.cloudbees.plugins.credentials.impl.StringCredentialsImpl><id>ci</id>"
               "<secret>{AQAAABAAAAAQ{{b64}}=}</secret></com.cloudbees.plugins.credentials."
               "impl.StringCredentialsImpl>",),
        "fp": ("<secret>{AQAAABAAAAAQ{{X44}}}</secret>", "<secret>{AQAAABAAAAAQ}</secret>"),
    },
    {
        "id": "tailscale-key",
        "description": "Tailscale auth or API key",
        "regex": _L + r"(?P<s>tskey-(?:auth|api|client|scim|webhook)?-?[A-Za-z0-9]{6,20}-"
                      r"[A-Za-z0-9]{20,64})" + _R,
        "keywords": ("tskey-",),
        "tp": ("tskey-auth-k{{N10}}CNTRL-{{N32}}",),
        "fp": ("tskey-auth-{{X10}}-{{X32}}", "TS_AUTHKEY=tskey-auth-xxxxx"),
    },
    {
        "id": "artifactory-token",
        "description": "JFrog Artifactory API key or reference token",
        # API keys start AKCp (73 characters), reference tokens cmVmdGtu (base64 "reftkn")
        "regex": _L + r"(?P<s>AKCp[A-Za-z0-9]{69}|cmVmdGtu[A-Za-z0-9]{56})" + _R,
        "keywords": ("AKCp", "cmVmdGtu"),
        "check": "mixed",
        "tp": ("AKCp{{N69}}", "cmVmdGtu{{N56}}"),
        "fp": ("AKCp{{X69}}", "AKCp{{N20}}"),
    },
    {
        "id": "spectralops-token",
        "description": "SpectralOps personal token",
        "regex": _L + r"(?P<s>spu-[a-f0-9]{32})" + _R,
        "keywords": ("spu-",),
        "tp": ("SPECTRAL_DSN=spu-{{h32}}",),
        "fp": ("spu-{{H32}}", "spu-{{x32}}"),
    },
    {
        "id": "vault-legacy-token",
        "description": "HashiCorp Vault legacy service or batch token (s. / b.)",
        "regex": r"(?<![A-Za-z0-9_.\-])(?P<s>[sb]\.[A-Za-z0-9]{24})(?![A-Za-z0-9_.\-])",
        "keywords": ("vault",),
        "ci": True,
        "check": "mixed",
        "loose": True,
        "tp": ("VAULT_TOKEN=s.{{N24}}",),
        "fp": ("vault write s.{{x24}}", "VAULT_TOKEN=s.{{X24}}"),
    },
    {
        "id": "prefixed-api-token",
        "description": "Provider token with a documented prefix (Sourcegraph, Pinecone, "
                       "LangSmith, Shippo, GitLab, Rootly, pganalyze, New Relic, Supabase, "
                       "Doppler, Linear, Postman, PlanetScale, Fly.io, Hugging Face org, ...)",
        "regex": _L + r"(?P<s>(?:sgp_(?:[a-f0-9]{16}_)?[a-f0-9]{40}|pcsk_[A-Za-z0-9]{5,6}_"
                      r"[A-Za-z0-9]{60,70}|lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}"
                      r"|shippo_(?:live|test)_[a-f0-9]{40}|gloas-[a-f0-9]{64}|glo(?:ft|cbt|agent|soat|imt|"
                      r"rt|dt)-[A-Za-z0-9_\-]{20,80}|GR1348941[A-Za-z0-9_\-]{20}"
                      r"|rootly_[a-f0-9]{64}|pga[rw]_[A-Za-z0-9]{27}|NRAK-[A-Z0-9]{27}"
                      r"|NR(?:II|IQ|BR)-[A-Za-z0-9_\-]{19,32}|sbp_[a-f0-9]{40}"
                      r"|dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}"
                      r"|lin_(?:api|oauth)_[A-Za-z0-9]{40}|PMAK-[a-f0-9]{24}-[a-f0-9]{34}"
                      r"|pscale_(?:tkn|oauth|pw)_[A-Za-z0-9_\-.]{32,64}"
                      r"|fo1_[A-Za-z0-9_\-]{43}|api_org_[A-Za-z]{34}|ptr_[A-Za-z0-9_\-]{40}"
                      r"|tfp_[A-Za-z0-9_\-]{40,60}|cfut_[A-Za-z0-9]{40,48}"
                      r"|CFPAT-[A-Za-z0-9_\-]{43}|sqo_[a-f0-9]{40}|sq[ap]_[a-f0-9]{40}"
                      r"|xai-[A-Za-z0-9]{80}|ATBB[A-Za-z0-9_=.\-]{24,32}"
                      r"|ATATT3[A-Za-z0-9_\-=]{180,200}|ATCTT3[A-Za-z0-9_\-=]{180,200}))" + _R,
        "keywords": ("sgp_", "pcsk_", "lsv2_", "shippo_", "gloas-", "gloft-", "glocbt-",
                     "gloagent-", "glosoat-", "gloimt-", "glort-", "glodt-", "GR1348941",
                     "rootly_", "pgar_", "pgaw_", "NRAK-", "NRII-", "NRIQ-", "NRBR-", "sbp_",
                     "dp.", "lin_", "PMAK-", "pscale_", "fo1_", "api_org_", "ptr_", "tfp_",
                     "cfut_", "CFPAT-", "sqo_", "sqa_", "sqp_", "xai-", "ATBB", "ATATT3",
                     "ATCTT3"),
        "check": "mixed_or_hex",
        "tp": ("SRC_ACCESS_TOKEN=sgp_{{h16}}_{{h40}}", "PINECONE_API_KEY=pcsk_{{N6}}_{{N64}}",
               "LANGSMITH_API_KEY=lsv2_pt_{{h32}}_{{h10}}", "shippo_live_{{h40}}",
               "NEW_RELIC_API_KEY=NRAK-{{U27}}", "lin_api_{{N40}}", "PMAK-{{h24}}-{{h34}}",
               "SONAR_TOKEN=sqp_{{h40}}"),
        "fp": ("shippo_live_{{X40}}", "sgp_{{x40}}", "NRAK-{{X27}}", "lin_api_{{X40}}"),
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
        # T3BlbkFJ (base64 of "OpenAI") between two random runs (58 or 74 characters in
        # today's keys, shorter in older ones)
        "regex": _L + r"(?P<s>sk-(?:proj|svcacct|admin|service)-[A-Za-z0-9_\-]{20,74}T3BlbkFJ"
                      r"[A-Za-z0-9_\-]{20,74})" + _R,
        "keywords": ("sk-proj-", "sk-svcacct-", "sk-admin-"),
        "tp": ("sk-proj-{{B74}}T3B{{}}lbkFJ{{B74}}", "sk-svcacct-{{B58}}T3B{{}}lbkFJ{{B58}}"),
        "fp": ("sk-proj-{{X48}}", 'openai.api{{}}_key = "sk-proj-your-key"',
               "sk-admin-{{B8}}T3B{{}}lbkFJ{{B58}}"),
    },
    {
        "id": "anthropic-api-key",
        "description": "Anthropic API key",
        "regex": _L + r"(?P<s>sk-ant-(?:api|admin|oat|ort)[0-9]{2}-[A-Za-z0-9_\-]{93}AA)" + _R,
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
        "regex": _L + r"(?P<s>SG\.[A-Za-z0-9_\-]{20,24}\.[A-Za-z0-9_\-]{39,50})" + _R,
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
        "owns": False,  # "key-" starts other providers' keys too
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
        "regex": r"(?<![:/])//[^\s/'\"]{1,200}(?:/[^\s'\"]{0,200}?)?/:_(?:authToken|auth|password)"
                 r"[ \t]{0,2}=[ \t]{0,2}(?P<s>[^\s'\"]{8,300})",
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
        "regex": _L + r"(?P<s>rubygems_[a-zA-Z0-9]{48})" + _R,
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
        "id": "sidekiq-credentials",
        "description": "Sidekiq Pro/Enterprise gem server credentials (Bundler)",
        # BUNDLE_GEMS__CONTRIBSYS__COM=<8 hex>:<8 hex>, or the same pair in the URL of
        # gems.contribsys.com / enterprise.contribsys.com
        "regex": r"(?:bundle_(?:enterprise|gems)__contribsys__com[\"']?[ \t]{0,4}[:=][ \t]{0,4}"
                 r"[\"']?|://)(?P<s>[0-9a-f]{8}:[0-9a-f]{8})"
                 r"(?:@(?:gems|enterprise)\.contribsys\.com|(?![0-9a-z@:]))",
        "keywords": ("contribsys",),
        "ci": True,
        "lower": True,
        "check": "sidekiq",
        "tp": ("export BUNDLE_GEMS__CONTRIB{{}}SYS__COM={{h8}}:{{h8}}",
               (".bundle/config", 'BUNDLE_ENTERPRISE__CONTRIB{{}}SYS__COM: "{{h8}}:{{h8}}"'),
               "source 'https://{{h8}}:{{h8}}@enterprise.contrib{{}}sys.com/'"),
        "fp": ("export BUNDLE_GEMS__CONTRIB{{}}SYS__COM=${SIDEKIQ_CREDENTIALS}",
               "BUNDLE_GEMS__CONTRIB{{}}SYS__COM=00000000:00000000",
               "https://gems.contrib{{}}sys.com/"),
    },
    {
        "id": "jwt",
        "description": "JSON Web Token",
        "regex": _L + r"(?P<s>eyJ[A-Za-z0-9_\-]{10,2000}\.eyJ[A-Za-z0-9_\-]{10,8000}"
                      r"(?:\.[A-Za-z0-9_\-]{16,1000}|\.?(?![.A-Za-z0-9_\-])))" + _R,
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
        # name, then an assignment (=, :, :=, =>, ::=, ?=), a comparison (==, !=, ===), a
        # spaced dash (`token - "..."`, a list of credentials) or only a space before a quote
        # (`password "..."`), then the value; a C array or a
        # type annotation may sit between name and operator.
        "regex": r"(?:pass(?:word|wd|phrase|code)?|pwd|secrete?|token|credentials?|apikey|key|"
                 r"(?:api|access|private|auth|app|signing|encryption|master|account|client|"
                 r"secret)[_.\-]?(?:key|secret))"
                 r"(?P<tail>[a-z0-9_.\-]{0,40})(?:\[[0-9]{0,4}\])?[\"']?[ \t]{0,4}"
                 r"(?::[ \t]{0,4}[a-z_][a-z0-9_\[\]., |]{0,40}?[ \t]{0,4}"
                 r"(?==[ \t]{0,4}[rbuf]{0,2}[\"'`]))?"
                 r"(?::{1,3}=|\?=|=>|[!=]==?(?=[ \t]{0,4}@?[\"'`])|=(?![=~>])|:(?![:/\\])"
                 r"|(?<=[ \t])(?=@?[\"'])|(?<=[ \t])-(?=[ \t]{1,4}[\"']))"
                 r"[ \t]{0,4}(?:[rbuf]{1,2}(?=[\"'])|@(?=\"))?"
                 r"(?P<s>\"(?:[^\"\\\n]|\\.){0,2000}\"|'(?:[^'\\\n]|\\.){0,2000}'"
                 r"|`[^`\n]{0,2000}`|[^\s\"'`;,]{1,300})",
        "keywords": ("password", "passwd", "passphrase", "passcode", "_pass", "pass_", "pass=",
                     "pass:", "pwd", "secret", "token", "credential", "apikey", "api_key",
                     "api-key", "api.key", "accesskey", "access_key", "access-key",
                     "privatekey", "private_key", "private-key", "authkey", "auth_key",
                     "auth-key", "appkey", "app_key", "signing", "encryption", "masterkey",
                     "master_key", "accountkey", "account_key", "_key", "-key", ".key", "key=",
                     "key:", "key "),
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
               ("", "TWILIO_AUTH_TOKEN={{h32}} ./run.sh"),
               ("config.ini", 'heroku_api_key = "{{h8}}-{{h4}}-4{{h3}}-a{{h3}}-{{h12}}"')),
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
    "dummy", "redacted", "replace", "insert", "sample", "fake", "***", "...", "…", "12345678",
    "abcdefgh", "0000000", "deadbeef", "todo", "fixme", "notreal", "not-real", "not_real",
)
# What a placeholder or template expression looks like: ${VAR}, ${VAR:-x}, ${{ secrets.X }},
# {{ var }}, {% tag %}, <%= ENV["X"] %>, {name}, {0}, %(name)s, %s, $(cmd), $VAR, <your-key>,
# @VAR@. Its content is a name or a short expression: a value that merely holds a "${" or a "<"
# among random characters is not one.
_TEMPLATE_RE = (
    r"\$\{\{[^{}]{1,80}\}\}|\$\{[A-Za-z_][\w.\-]{0,60}(?::?[-=?+][^{}]{0,60})?\}"
    r"|\{\{[^{}]{0,80}\}\}|\{%[^{}]{0,80}%\}|<%=?[^%]{0,80}%>"
    r"|\{[A-Za-z_][\w.()\[\]'\",]{0,60}(?:![rsa])?(?::[^{}]{0,12})?\}|\{[0-9]{0,2}\}"
    r"|%\([\w.]{1,40}\)[sdr]|%[sd]|\$\([^()]{1,80}\)"
    r"|(?<![A-Za-z0-9$])\$[A-Za-z_][A-Za-z0-9_]*"
    r"|<[A-Za-z][\w .\-]{0,60}>|@[A-Za-z_][\w.]{0,40}@"
)
_TEMPLATE = None
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


def _strip_templates(value: str) -> str:
    """value without its template expressions (see _TEMPLATE_RE)."""
    global _TEMPLATE
    if "$" not in value and "{" not in value and "<" not in value and "%" not in value \
            and "@" not in value:
        return value
    if _TEMPLATE is None:
        _TEMPLATE = _re().compile(_TEMPLATE_RE)
    return _TEMPLATE.sub("", value)


def _is_template(value: str) -> bool:
    """The value is a template: what is left around its expressions is no secret on its own
    (`${DB_PASSWORD}`, `Bearer {token}`, `{{ csrf_token }}`, `<your-key>`)."""
    rest = _strip_templates(value)
    if rest == value:
        return False
    rest = rest.strip(" \t-_./:@,;=|+\"'")
    return sum(c.isalnum() for c in rest) < 8 or _entropy(rest) < 3.0 or _is_name(
        rest.replace(" ", ""))


def _is_placeholder(value: str, strict: bool = False) -> bool:
    low = value.lower()
    if any(word in low for word in _PLACEHOLDER_WORDS) or _is_template(value):
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


_HOST_SUFFIXES = (".com", ".net", ".org", ".io", ".dev", ".app", ".cloud", ".co", ".ai",
                  ".internal", ".local")


def _looks_like_path_or_url(value: str) -> bool:
    if value.startswith(("/", "./", "../", "~/", "file:", "http://", "https://", "arn:")):
        return True
    if _is_resource_name(value):
        return True
    if len(value) > 2 and value[1] == ":" and value[2] in "\\/":
        return True
    low = value.lower()
    if "://" in low and _re().match(r"[a-z][a-z0-9+.\-]{1,30}://", low):
        return True  # any URL: the connection-string rules read its password
    if low.endswith(_HOST_SUFFIXES) and _re().fullmatch(r"(?:[a-z0-9\-]{1,63}\.)+[a-z]{2,8}",
                                                          low):
        return True  # a host name: 4f2a9c.invoiceocean.net
    if "@" in value and _re().fullmatch(  # an ARM resource type with its API version (Bicep)
            r"[A-Za-z]\w*(?:\.[A-Za-z]\w*)+(?:/[A-Za-z]\w*)+@\d{4}-\d{2}-\d{2}(?:-preview)?",
            value):
        return True  # Microsoft.KeyVault/vaults/secrets@2023-07-01
    if ("sha" in low or "md5" in low) and _re().search(  # image@sha256:..., pip RECORD, SRI
            r"(?:sha(?:1|224|256|384|512)|md5)[:=\-][a-z0-9+/=_\-]{16}", low):
        return True  # a content digest, labelled with its algorithm
    return low.endswith(_PATH_SUFFIXES)


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


# Public sample keys that are not secrets, by the first 16 hex digits of their SHA-256 (never
# the value): the Firebase web keys gitleaks allowlists for its gcp-api-key rule (they ship in
# public client code by design).
_DOCUMENTED_SAMPLES = frozenset((
    "0b476bdf9acf2123 2037abcaffb2b777 27a9a42931dff7eb 37f8f09bdf12c2f2 "
    "3a8b61d0f636b007 3f370c9dd8225c63 49f777db995e8260 4c98242dcadc8b29 "
    "8731261cb72d8626 a19f89ab3555eac1 a6c814bc555ae62c b7d61096898ce748 "
    "dc0fcf046c61640c e4a5542bb7fd7b67 ea9bb1082cf95663 eb540d2b6ee2a0a4 "
    "f3082ce9d6992144 f56e323494a6ffc2 "
).split())

def _check_token(rule, m, text, ctx):
    secret = m["s"]
    if _is_placeholder(secret) or fingerprint(secret)[:16] in _DOCUMENTED_SAMPLES:
        return None
    if rule.get("entropy") and _entropy(secret) < rule["entropy"]:
        return None
    return secret, m.start("s")


def _check_mixed(rule, m, text, ctx):
    secret = m["s"]
    if not (any(c.isupper() for c in secret) and any(c.islower() for c in secret)):
        return None
    return _check_token(rule, m, text, ctx)


_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def github_checksum(random_part: str) -> str:
    """The 6 base62 characters GitHub appends to a token: the CRC32 of its random part."""
    import zlib

    value, digits = zlib.crc32(random_part.encode()), ""
    while value:
        value, digit = divmod(value, 62)
        digits = _BASE62[digit] + digits
    return digits.rjust(6, "0")


def _check_github(rule, m, text, ctx):
    body = m["s"][4:]
    if github_checksum(body[:30]) != body[30:]:
        return False  # not a token GitHub issued: its checksum does not hold
    return _check_token(rule, m, text, ctx)


def _check_mixed_or_hex(rule, m, text, ctx):
    """Random in its alphabet: hex, letters and digits, or letters whose case changes at
    random (CamelCaseWordsHere capitalise only a word's first letter)."""
    body = m["s"].split("_")[-1].split("-")[-1].split(".")[-1]
    if len(set(body)) < min(8, len(body) // 2):
        return None
    if not all(c in "0123456789abcdef" for c in body.lower()) and not (
            any(c.isdigit() for c in body) and any(c.isalpha() for c in body)):
        upper = sum(c.isupper() for c in body) / max(1, sum(c.isalpha() for c in body))
        if not 0.25 <= upper <= 0.75:
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
    parts = m["s"].split(".")
    header, payload = (_b64decode(part) or b"" for part in parts[:2])
    if not (header.startswith(b"{") and header.rstrip().endswith(b"}")
            and (b'"alg"' in header or b'"typ"' in header)):
        return False  # the header is no JSON object naming an algorithm: not a JWT
    if b'"none"' in header and (len(parts) < 3 or not parts[2]):
        return None  # alg "none", no signature: anyone can mint it, it grants nothing
    if b'"John Doe"' in payload and b'"1234567890"' in payload:  # jwt.io's sample token
        return None
    return _check_token(rule, m, text, ctx)


def _check_sidekiq(rule, m, text, ctx):
    """The name or the host says what the pair is, so a hex word (cafebabe) is no placeholder
    here; only a run of repeats (00000000:00000000) is."""
    user, _, password = m["s"].partition(":")
    if _low_diversity(m["s"]) or user == password:
        return None
    return m["s"], m.start("s")


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
_SECRET_ENDINGS = ("secret", "secrete", "token", "apikey", "accesskey", "secretkey", "privatekey",
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
                   "paging", "sync", "idempotency", "marker", "cancellation", "output", "input",
                   "csrf", "xsrf"}  # a CSRF token guards one form, it grants no access


# `<x>_key` names whose value is a lookup key, not a credential.
_NOT_SECRET_KEY = {"primary", "foreign", "sort", "partition", "cache", "lookup", "map", "dict",
                   "hash", "row", "object", "routing", "composite", "unique", "index",
                   "translation", "i18n", "group", "item", "field", "message", "event", "metric",
                   "label", "hot", "short", "sharding", "shard", "join", "range", "cursor",
                   "dedup", "locale", "setting", "settings", "config", "state", "storage_path"}
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-.~:")


def _token_like(value: str) -> bool:
    """Random-looking in a token's character set (base64, base64url, hex, alphanumeric with
    separators): 16 characters or more, letters and digits, not a run of repeats."""
    if not 16 <= len(value) <= 2000 or not _TOKEN_CHARS.issuperset(value):
        return False
    if not (any(c.isdigit() for c in value) and any(c.isalpha() for c in value)):
        return False
    return _entropy(value) >= 3.0 and not _low_diversity(value)


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
    if kind is None and segments[-1] == "key" and not _NOT_SECRET_KEY & set(segments):
        kind = "key"  # countrylayer_key, LicenseKey: a secret only if the value is a token
    return kind


def _looks_like_code(value: str) -> bool:
    """A call, an index or a regex rather than a literal (templates: _is_template)."""
    pairs = sum(1 for a, b in ("()", "[]") if a in value and b in value[value.index(a):])
    return pairs == 2 or (pairs == 1 and "[" in value and _re().search(r"\w\[[^\]]*\]", value)
                          is not None)


def _is_template_variable(value: str) -> bool:
    """@ACCESS_KEY@, @DB_PASSWORD: a substitution placeholder."""
    return value[:1] == "@" and _is_env_name(value.strip("@"))


def _quoted_ok(value: str, kind: str, ctx: str) -> bool:
    if len(value) < 6 or value != value.strip() or value.isdigit() or value.count(" ") >= 2:
        return False
    if not any(c.isalnum() for c in value):  # punctuation only
        return False
    if value[0] == "#" or _is_placeholder(value, strict=True):
        return False
    if _looks_like_code(value) or _is_template_variable(value):
        return False
    if _is_env_name(value) or _looks_like_path_or_url(value):
        return False
    if kind != "password" and (_is_name(value) or _is_label(value)):  # "db-credentials"
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


def _is_label(value: str) -> bool:
    """Words, short numbers and separators: a name or a version (jetbrains.mps.v8_elimination,
    jjwt-jackson-0.11.2, SalesResults-1.2, getPages,searchSpaces), not a secret. A word is
    lower case or camelCase with parts of 2 letters or more: random letters change case too
    often to pass."""
    global _SEGMENT
    if _SEGMENT is None:
        _SEGMENT = _re().compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
    parts = [p for p in _re().split(r"[._,\-]", value) if p]
    if len(parts) < 2:
        return False
    words = 0
    for part in parts:
        if part.isascii() and part.isalpha() and all(
                len(s) >= 2 for s in _SEGMENT.findall(part)):
            words += len(part) >= 4
        elif not (part.isdigit() and len(part) <= 4) and not (
                len(part) <= 3 and part.isascii() and part.isalnum()):
            return False
    return words >= 1


def _unquoted_ok(value: str, ctx: str, kind: str = "password") -> bool:
    value = value.rstrip(",;)")
    if ctx == "code" or len(value) < 6 or value.isdigit():
        return False
    if value[0] in "$%{<[(/\\~.&*|>#!-" or any(c in value for c in "()[]{}"):
        return False
    if value.lower() in _BOOLEANS or _looks_like_path_or_url(value) or "://" in value:
        return False
    if _is_placeholder(value, strict=True) or _is_env_name(value):
        return False
    if (kind != "password" and (_is_name(value) or _is_label(value))) or value.startswith(
            _PUBLISHABLE):
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


_OWNED: tuple = ()


def _owned_prefixes() -> tuple:
    """Token prefixes a provider rule owns (ghp_, xoxb-, AIza, sk-ant-, ...): a value that
    starts with one and yet failed that rule is not that provider's token (a wrong length, a
    character its format rules out, a documented sample), so the loose rules leave it alone."""
    global _OWNED
    if not _OWNED:
        _OWNED = tuple(k for rule in RULES if not rule.get("ci") and not rule.get("loose")
                       if rule.get("owns", True)
                       for k in rule["keywords"] if k[:2].isalnum() and " " not in k)
    return _OWNED


def _not_a_token_char(value: str, kind: str) -> bool:
    """A "?" is in no token alphabet (base64, base64url, hex): a password may hold one."""
    return kind != "password" and "?" in value


# What a provider's key looks like, as the provider documents it (and as the scanners' own
# detectors require): when the name of the variable, or the text just before it, names one of
# these providers, a value that does not have that shape is not the provider's key (a decoy, a
# truncated or mistyped value) and the generic rule leaves it alone (see _off_provider_shape for
# how a name is found). A shape must match the whole value, after an optional "Bearer ".
_HEX = "[0-9a-f]"
_LOW = "[a-z0-9]"
_ALNUM = "[A-Za-z0-9]"
_UUID = "{0}{{8}}-{0}{{4}}-{0}{{4}}-{0}{{4}}-{0}{{12}}"
_PROVIDER_SHAPES = (
    (("abuseipdb",), _LOW + "{80}"),
    (("abyssale",), _ALNUM + "{40}"),
    (("accuweather",), "[A-Za-z0-9%]{32,35}"),
    (("agora",), _LOW + "{32}"),
    (("aha", "aha.io"), _HEX + "{64}"),
    (("airtable",), "pat" + _ALNUM + "{14}\\." + _HEX + "{64}|key" + _ALNUM + "{14}"),
    (("airvisual",), "[a-z0-9-]{36}"),
    (("alchemy",), "alcht_" + _ALNUM + "{30}|[A-Za-z0-9_-]{32}"),
    (("alconost",), _LOW + "{32}"),
    (("alegra",), "[a-z0-9-]{20}"),
    (("aletheiaapi", "aletheia"), "[A-Z0-9]{32}"),
    (("algolia",), _ALNUM + "{32}"),
    (("alibaba", "aliyun"), _ALNUM + "{30}"),
    (("alienvault", "otx"), _LOW + "{64}"),
    (("allsports",), _LOW + "{64}"),
    (("amadeus",), _ALNUM + "{16}|" + _ALNUM + "{32}"),
    (("ambee",), _HEX + "{64}"),
    (("amplitude",), _HEX + "{32}"),
    (("apacta",), "[a-z0-9-]{36}"),
    (("apiflash",), _LOW + "{32}"),
    (("apifonica",), _LOW + "{11}-" + _LOW + "{4}-" + _LOW + "{4}-" + _LOW + "{4}-" + _LOW
     + "{12}"),
    (("apify",), "apify_api_[A-Za-z0-9_-]{36}"),
    (("apilayer",), _ALNUM + "{32}"),
    (("apollo",), _ALNUM + "{22}|(?:service|user):[A-Za-z0-9_.-]{1,64}:[A-Za-z0-9_-]{22}"),
    (("apptivo",), "[a-z0-9-]{36}"),
    (("appsynergy",), _LOW + "{64}"),
    (("artsy",), _ALNUM + "{32}"),
    (("assemblyai",), _LOW + "{32}"),
    (("atera",), _LOW + "{32}"),
    (("aylien",), _LOW + "{32}"),
    # Jira / Confluence Data Center: base64 of "<12-digit id>:<20 random bytes>"; Atlassian
    # cloud: ATATT3... API tokens, and the 24-character legacy ones
    (("jira", "confluence", "atlassian"), "[MNO][A-Za-z0-9+/]{43}|AT[AC]TT3[A-Za-z0-9_=-]{180,200}"
     "|" + _ALNUM + "{24}"),
    (("baremetrics",), "[A-Za-z0-9_]{25}"),
    (("bitbar",), _LOW + "{32}"),
    (("bitcoinaverage",), _ALNUM + "{43}"),
    (("bitly",), _ALNUM + "{40}"),
    (("blazemeter",), "[a-z0-9-]{36}"),
    (("blitapp",), "[A-Za-z0-9_-]{39}"),
    (("blocknative",), _UUID.format(_LOW)),
    (("borgbase",), "[A-Za-z0-9/_.-]{148,152}"),
    (("box",), _ALNUM + "{32}"),
    (("brandfetch",), _ALNUM + "{40}"),
    (("buddyns",), _LOW + "{40}"),
    (("bugherd",), _LOW + "{22}"),
    (("bugsnag",), "[a-z0-9-]{36}|" + _HEX + "{32}"),
    (("buildkite",), "(?:bk[a-z]{2}_)?" + _LOW + "{40}|" + _HEX + "{50}"),
    (("harness",), "pat\\.[A-Za-z0-9_-]{22}\\." + _HEX + "{24}\\." + _ALNUM + "{20}"),
    (("heroku",), "HRKU-AA[A-Za-z0-9_-]{58}|[0-9a-fA-F-]{36}"),
    (("kucoin",), _HEX + "{24}|" + _UUID.format(_HEX)),
    (("launchdarkly",), "(?:api|sdk|mob)-" + _UUID.format(_LOW)),
    (("lob",), "(?:live|test)_" + _HEX + "{35}"),
    (("loggly",), _UUID.format(_LOW)),
    (("lokalise",), _LOW + "{40}"),
    (("meraki",), _HEX + "{40}"),
    (("mite",), _LOW + "{16}"),
    (("mux",), _UUID.format(_HEX) + "|[A-Za-z0-9+/]{60,80}"),
    (("openrouter",), "sk-or-v1-" + _HEX + "{64}"),
    (("deepseek",), "sk-" + _LOW + "{32}"),
    (("plaid",), _HEX + "{30}|" + _HEX + "{24}|access-(?:sandbox|development|production)-"
     + _UUID.format(_HEX)),
    (("planviewleankit", "leankit"), _HEX + "{128}|[a-z0-9-]{1,63}\\.[A-Za-z0-9]{6,12}"),
    (("poloniex",), "[A-Z0-9]{8}(?:-[A-Z0-9]{8}){3}|" + _HEX + "{128}"),
    (("sourcegraph",), "sgp_(?:" + _HEX + "{16}_)?" + _HEX + "{40}|" + _HEX + "{40}|slk_" + _HEX
     + "{64}"),
    (("sumologic", "sumo"), _ALNUM + "{14}|" + _ALNUM + "{64}"),
    (("twitch",), _LOW + "{30}"),
    (("wandb", "weightsandbiases", "weights & biases"), _HEX + "{40}"),
    (("azure devops", "azuredevops", "ado_pat"), _LOW + "{52}|" + _ALNUM + "{84}"),
)
_SHAPES: list = []  # (names, compiled pattern), built on first use


def _off_provider_shape(text: str, start: int, value: str) -> bool:
    """A provider this value is presented as (named within the 3 lines before it, or by the
    value's own prefix: apify_api_...) documents a shape for its keys, and the value does not
    have it. A name of 6 letters or more counts inside a longer word (lokalisetoken,
    validateApolloKey); a shorter one must start the word (box_token, boxToken, not
    inbox_token or dropBoxToken)."""
    re = _re()
    if not _SHAPES:
        _SHAPES.extend((names, re.compile(f"(?:{shape})")) for names, shape in _PROVIDER_SHAPES)
    low = max(0, start - 300)
    pos = start
    for _ in range(3):  # this line and the two before it
        pos = text.rfind("\n", low, pos)
        if pos < 0:
            break
    low = max(low, pos)
    source = text[low:start]
    prefix, underscore, _ = value[:12].partition("_")
    if underscore:  # apify_api_...: the value names its provider
        source += " " + prefix
    window = source.lower()
    named = False
    for names, shape in _SHAPES:
        for name in names:
            i = window.find(name)
            while i >= 0 and len(name) < 6:  # a short name must start a word (not dropBox)
                after = source[i + len(name):i + len(name) + 1]
                if not window[i - 1:i].isalpha() and not (after.isalpha() and after.islower()):
                    break
                i = window.find(name, i + 1)
            if i >= 0:
                if shape.fullmatch(value.removeprefix("Bearer ")):
                    return False
                named = True
                break
    return named


def _random_literal(value: str) -> bool:
    """An unquoted word in code that no one names a variable: 32 hex digits or more, or 24
    random base62 characters (digits and both cases, several of each)."""
    body = value.rsplit("_", 1)[-1]
    if not body.isalnum() or not body.isascii():
        return False
    digits = sum(c.isdigit() for c in body)
    if len(body) >= 32 and digits >= 4 and all(c in "0123456789abcdef" for c in body.lower()):
        return len(set(body)) >= 10
    upper = sum(c.isupper() for c in body)
    return len(body) >= 24 and digits >= 4 and upper >= 4 and len(body) - digits - upper >= 4


_SIGNED_PARAMS = ("sig", "signature", "token", "key", "secret", "password", "pwd", "code")


def _unsigned_query(value: str) -> bool:
    """st=...&se=...&sr=c: query parameters without a signature, a token, a key or a password
    among them (an Azure SAS without its sig=) grant nothing."""
    pairs = [p.partition("=") for p in value.split("&")]
    if len(pairs) < 3 or not all(eq and name.isidentifier() for name, eq, _ in pairs):
        return False
    return not any(name.lower().endswith(_SIGNED_PARAMS) for name, _, _ in pairs)


def _not_the_named_format(text: str, pos: int, value: str) -> bool:
    """A key or token that no token format allows: base64 and hex never start with "=" (it
    only pads the end), a query string that signs nothing, or a value the provider named beside
    it documents another shape for."""
    return value[:1] == "=" or _unsigned_query(value) or _off_provider_shape(text, pos, value)


def _check_generic(rule, m, text, ctx):
    raw, pos = m["s"], m.start("s")
    groups = m.groupdict()
    quoted = raw[0] in "\"'`"
    if not quoted and ctx == "code" and (len(raw) < 24 or not _random_literal(raw.rstrip(",;)"))):
        return None  # an expression: os.environ["X"], settings.KEY
    start = m.start()
    low = max(0, start - 60)
    while start > low and (text[start - 1].isalnum() or text[start - 1] in "_.-"):
        start -= 1
    if text[max(0, start - 2):start] == "::":  # AWS::IAM::AccessKey: a type name
        return None
    key = m["k"] if "k" in groups else text[start:m.end("tail")]
    key = key.strip("\"'.-")
    kind = _KEY_KINDS.get(key, "?")
    if kind == "?":
        kind = _KEY_KINDS[key] = _secret_key(key)
    if kind is None:
        return None
    if quoted:
        value = raw[1:-1]
        inner = value.strip()
        if inner != value and len(inner) >= 16 and not any(c.isspace() for c in inner):
            pos += value.index(inner[0])  # ' <token> ': the spaces are a typo, not the value
            value = inner
        if not _quoted_ok(value, kind, ctx) or (kind == "key" and not _token_like(value)):
            return None
        if value.startswith(_owned_prefixes()) or _not_a_token_char(value, kind):
            return None
        if kind != "password" and _not_the_named_format(text, pos, value):
            return None
        if text[pos - 1:pos] in ("r", "R") and any(c in value for c in "[\\(*+?^$"):
            return None  # a raw string with regex syntax: a pattern, not a secret
        return value, pos + 1
    value = raw.rstrip(",;)")
    # in code, only a random literal got this far: read it as configuration would be
    if not _unquoted_ok(raw, "config" if ctx == "code" else ctx, kind) or (
            kind == "key" and not _token_like(value)):
        return None
    if value.startswith(_owned_prefixes()) or _not_a_token_char(value, kind):
        return None
    if kind != "password" and _not_the_named_format(text, pos, value):
        return None
    return value, pos


_CHECKS = {
    "token": _check_token, "mixed": _check_mixed, "mixed_or_hex": _check_mixed_or_hex,
    "github": _check_github,
    "discord": _check_discord,
    "azure": _check_azure, "jwt": _check_jwt, "docker_auth": _check_docker_auth,
    "sidekiq": _check_sidekiq,
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
    text = re.sub(r"([A-Za-z0-9]{30})\{\{crc\}\}", lambda m: m[1] + github_checksum(m[1]), text)

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


def _hook(data: bytes | str, stderr, stdout=None) -> int:
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        event = parse_json(text)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BadInput(f"not JSON: {exc}") from None
    if not isinstance(event, dict):
        raise BadInput("not a JSON object")
    tool = tool_call(event)[0] or "call"
    found = []
    for kind, path, text, old, label in changes(event):
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
            targets = bash_targets(text, powershell(event))
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
    verb = "run" if found[0][0] == "bash" else "write"
    message = (f"secret_guard: blocked {tool}: {count} in what it would {verb}.\n"
               + "\n".join(lines) + "\n" + _FIX)
    _write(stderr, message)
    verdict, code = deny(event, message)
    if verdict is not None:
        _write(stdout or sys.stdout, verdict + "\n")
    return code


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
        return _hook(data, stderr, stdout)
    except BadInput as exc:
        _write(stderr, f"secret_guard: unreadable hook input, not checked ({exc})\n")
    except Exception as exc:  # noqa: BLE001 - never a traceback, never a block by accident
        detail = " ".join(str(exc).split())
        _write(stderr, f"secret_guard: internal error, not checked ({type(exc).__name__}: "
                       f"{detail})\n")
    return 1


if __name__ == "__main__":
    sys.exit(main())
