"""The rule table: every problem a tool of the package reports, as data, and its one registry.

Each rule has a stable code (never reused), a short name, the reason it exists and how to satisfy
it legitimately. Every code is written once, here, as a named constant (``rules.YAML_SYNTAX`` is
``"PB007"``): the modules that report a problem name the constant, never the code, and a
:class:`~playbook.problems.Problem` or an export error with a code missing from the table is
refused when it is made. The site publishes this table (``python -m playbook.export site``), and
the tests hold every rule to an input that produces it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    group: str
    why: str
    fix: str


RULES: dict[str, Rule] = {}


def _rule(code: str, name: str, group: str, why: str, fix: str) -> str:
    """Add a rule to the table and return its code, for the modules that report it."""
    if code in RULES or any(r.name == name for r in RULES.values()):
        raise ValueError(f"rule {code} {name} is defined twice")
    RULES[code] = Rule(code, name, group, why, fix)
    return code


# --- files and encoding -------------------------------------------------------------------
NOT_UTF8 = _rule(
    "PB001", "not-utf8", "file", "Bytes that are not UTF-8 make every parser guess.",
    "Save the file as UTF-8.")
BOM = _rule(
    "PB002", "bom", "file",
    "A byte-order mark hides the opening `---`, so the frontmatter is lost.",
    "Save as UTF-8 without BOM.")
CRLF = _rule(
    "PB003", "crlf", "file", "CRLF line endings break frontmatter detection in some clients.",
    "Use LF line endings (`git config core.autocrlf input`).")
EMPTY_FILE = _rule(
    "PB004", "empty-file", "file", "An empty skill or agent loads as nothing.",
    "Write the content, or delete the file.")

# --- frontmatter syntax -------------------------------------------------------------------
NO_FRONTMATTER = _rule(
    "PB005", "no-frontmatter", "frontmatter",
    "Skills and agents need a YAML block between `---` lines; without it they load unnamed.",
    "Start the file with `---`, the YAML keys, then `---`.")
FRONTMATTER_UNCLOSED = _rule(
    "PB006", "frontmatter-unclosed", "frontmatter",
    "A block that never closes swallows the whole body into YAML.",
    "Close the frontmatter with a line holding only `---`.")
YAML_SYNTAX = _rule(
    "PB007", "yaml-syntax", "frontmatter",
    "Clients drop all frontmatter fields silently when the YAML does not parse.",
    "Fix the YAML at the position given; quote values that contain `: ` or start with `[`.")
DUPLICATE_KEY = _rule(
    "PB008", "duplicate-key", "frontmatter",
    "YAML parsers disagree on duplicate keys (last wins, first wins, or error).",
    "Keep one occurrence of the key.")
FRONTMATTER_NOT_MAPPING = _rule(
    "PB009", "frontmatter-not-mapping", "frontmatter",
    "Frontmatter must be a mapping of keys to values.", "Write `key: value` lines.")
YAML11_SURPRISE = _rule(
    "PB010", "yaml11-surprise", "frontmatter",
    "YAML 1.1 reads `no`, `on`, dates and `1.10` as booleans, dates and floats.",
    "Quote the value: `'no'`, `'2025-01-02'`, `'1.10'`.")
TAB = _rule(
    "PB011", "tab", "frontmatter", "Tabs are not allowed as YAML indentation and confuse parsers.",
    "Indent with spaces.")

# --- skills ---------------------------------------------------------------------------------
SKILL_UNKNOWN_KEY = _rule(
    "PB020", "skill-unknown-key", "skill",
    "Only the six Agent Skills keys are portable; `skills-ref` and claude.ai reject the rest.",
    "Move your own fields under `metadata`.")
MISSING_KEY = _rule(
    "PB021", "missing-key", "skill",
    "`name` and `description` are required by the Agent Skills spec and the client.",
    "Add the missing key.")
NAME_PATTERN = _rule(
    "PB022", "name-pattern", "skill",
    "Names are lowercase words joined by single hyphens (`^[a-z0-9]+(-[a-z0-9]+)*$`).",
    "Rename, e.g. `python-testing`.")
NAME_TOO_LONG = _rule(
    "PB023", "name-too-long", "skill", "Names longer than 64 characters are rejected.",
    "Shorten the name.")
NAME_MISMATCH = _rule(
    "PB024", "name-mismatch", "skill",
    "The name must equal its folder (skills) or file stem (agents), or clients disagree on it.",
    "Rename the folder or file, or the `name`.")
NAME_RESERVED = _rule(
    "PB025", "name-reserved", "skill", "Names containing `claude` or `anthropic` are reserved.",
    "Choose another name.")
DESCRIPTION_LENGTH = _rule(
    "PB026", "description-length", "skill",
    "A description must be a string of 1 to 1024 characters.", "Write or shorten it.")
DESCRIPTION_ANGLE_BRACKETS = _rule(
    "PB027", "description-angle-brackets", "skill",
    "`<` and `>` read as XML tags; claude.ai rejects them in descriptions.",
    "Reword without angle brackets.")
DESCRIPTION_USE_WHEN = _rule(
    "PB028", "description-use-when", "skill",
    "Claude picks skills by their description: it must say when to use the skill.",
    "Add a sentence starting `Use when ...` with the words a user would type.")
METADATA_STRINGS = _rule(
    "PB029", "metadata-strings", "skill", "`metadata` is a map of string keys to string values.",
    "Quote the values; write lists as comma-separated strings.")
ALLOWED_TOOLS_FORMAT = _rule(
    "PB030", "allowed-tools-format", "skill",
    "`allowed-tools` is one space-separated string; `skills-ref` rejects flow lists.",
    "Write `allowed-tools: Read Grep Bash(pytest:*)`.")
FIELD_TYPE = _rule(
    "PB031", "field-type", "skill",
    "A field has the wrong type or length (`compatibility` at most 500 characters).",
    "Use the type the spec names.")
BODY_TOO_LONG = _rule(
    "PB032", "body-too-long", "skill",
    "SKILL.md bodies over 500 lines cost context on every use.",
    "Move depth into `references/*.md` and link it.")
BODY_COST = _rule(
    "PB034", "body-cost", "skill",
    "A loaded skill's body is read in full each time it fires; Claude Code estimates about four "
    "characters a token, and a body over 4,000 tokens crowds out the task.",
    "Keep decisions, defaults, bad-then-good pairs, commands and a checklist in the body; move "
    "depth into `references/*.md`, linked with when to read it.")
CATALOGUE_COST = _rule(
    "PB035", "catalogue-cost", "catalogue",
    "A typical task loads several skills: the median skill body stays within 3,000 tokens.",
    "Trim the costliest skills first (the message names them).")
REPOSITORY_FIRST = _rule(
    "PB036", "repository-first", "skill",
    "A language or infrastructure skill's defaults read as orders to migrate working code unless "
    "the body says that the repository's own tools and conventions come first.",
    "Add a paragraph that opens with **Respect the repository first.**: follow the tools and "
    "conventions the repository already has; the defaults are for new code or when asked.")
REFERENCE_LINK = _rule(
    "PB033", "reference-link", "skill",
    "Links into `references/` must resolve and stay one level deep.",
    "Fix the path, or create the reference file.")

# --- agents ---------------------------------------------------------------------------------
AGENT_UNKNOWN_KEY = _rule(
    "PB040", "agent-unknown-key", "agent",
    "Unknown agent keys are ignored by the client: usually a typo.",
    "Use a documented subagent field.")
AGENT_TOOL = _rule(
    "PB041", "agent-tool", "agent",
    "Every `tools` entry must be a real Claude Code tool or `mcp__server__tool`.",
    "Check the spelling against scripts/playbook/data/claude_tools.json.")
AGENT_MODEL = _rule(
    "PB042", "agent-model", "agent",
    "`model` must be `sonnet`, `opus`, `haiku`, `inherit` or a full `claude-...` id.",
    "Pick one of those.")
AGENT_COLOR = _rule(
    "PB043", "agent-color", "agent", "`color` must be one of the client's colours.",
    "Use red, blue, green, yellow, purple, orange, pink or cyan.")
AGENT_FIELD = _rule(
    "PB044", "agent-field", "agent", "A subagent field has a value the client does not accept.",
    "Use a documented value.")

# --- across files ---------------------------------------------------------------------------
DUPLICATE_NAME = _rule(
    "PB050", "duplicate-name", "catalogue",
    "Two skills or agents with one name shadow each other in the client.",
    "Rename one of them.")
BROKEN_LINK = _rule(
    "PB051", "broken-link", "catalogue", "A relative link points at a file that does not exist.",
    "Fix the path.")
INDENTED_CONTAINER = _rule(
    "PB052", "indented-container", "catalogue",
    "Indented `!!!`/`===` blocks hide fences from markdown parsers and from Claude.",
    "Use `/// note` and `/// tab` blocks (pymdownx.blocks).")

# --- code blocks ----------------------------------------------------------------------------
BLOCK_LANGUAGE = _rule(
    "PB060", "block-language", "code",
    "A fence without a language cannot be checked.", "Name the language after the fence.")
BLOCK_SETTING = _rule(
    "PB061", "block-setting", "code",
    "Info-string settings are `test`, `reason`, `group`, `title`, `example`, `runner`, "
    "`expect` and `dialect` (sql: `sqlite` or `postgresql`), quoted, with a known value.",
    'Write `python test="skip" reason="needs a server"` or `runner="pytest"`.')
BLOCK_REASON = _rule(
    "PB062", "block-reason", "code",
    "Skipping a check, lowering it to a parse, or expecting a test to fail needs a stated reason.",
    'Add `reason="..."`.')
BLOCK_CHECK = _rule(
    "PB063", "block-check", "code",
    "The block failed its check (its tests, run, compile or parse).",
    "Fix the code, or mark an anti-pattern with `example=\"bad\"`.")
TOOLCHAIN_MISSING = _rule(
    "PB064", "toolchain-missing", "code",
    "Under `CI=true` every block is checked at its strongest tier; a missing tool would lower it.",
    "Install the tool named in the message (`.ci/run` installs them all).")
BLOCK_PLUMBING = _rule(
    "PB069", "block-plumbing", "code",
    "Claude copies what a skill shows: a block that builds a stand-in module, runs a test runner "
    "itself, calls its own tests or raises AssertionError by hand teaches that plumbing.",
    "Write the idiomatic test: a `title=\"test_x.py\"` block beside the `title=\"x.py\"` it "
    "tests, in one `group`; the checker runs it with pytest.")

# --- versions -------------------------------------------------------------------------------
VERSION_MISMATCH = _rule(
    "PB070", "version-mismatch", "versions",
    "The pack teaches one version of each tool (policy/versions.toml); a skill that names "
    "another contradicts the rest, and Claude follows whichever it read last.",
    "Write the version of the table; for an old version on purpose, say so on the line "
    "(\"support ended\", \"since\") or put it in an `example=\"bad\"` block.")
VERSION_DISAGREE = _rule(
    "PB071", "version-disagree", "versions",
    "Two skills' `metadata.versions` name different majors of one tool.",
    "Settle the version, add it to policy/versions.toml and write it in both skills.")
PIN_MISSING = _rule(
    "PB072", "pin-missing", "versions",
    "A version pinned in a code block or the table does not exist on its registry: "
    "the install Claude copies fails.",
    "Pin a version the registry lists (`pip index versions NAME`, `npm view NAME versions`).")
PIN_BEHIND = _rule(
    "PB073", "pin-behind", "versions",
    "A pinned major is behind the registry's newest release (a note, not a failure).",
    "Move to the current major if the table says so; otherwise update the table first.")
PIN_NOT_CHECKED = _rule(
    "PB074", "pin-not-checked", "versions",
    "No registry answers for this pin here (GitHub tags, Docker Hub), or the registry was "
    "unreachable and no cache held it: it was not checked (a note, not a failure).",
    "Check it by hand, or run `nox -s freshness` where the registry is reachable.")
VERSION_TABLE = _rule(
    "PB075", "version-table", "versions",
    "policy/versions.toml is the one table of versions; when it does not load, no version can "
    "be checked.",
    "Fix the file at the line named: TOML with a `[tools.<key>]` table per tool, each with "
    "`version` and `patterns`.")
RED_STEP = _rule(
    "PB065", "red-step", "code",
    "A red step (`expect=\"fail\"`) proves the test can fail only when it fails as a test, for "
    "the stated reason: not by passing, and not by code that does not load or compile.",
    "Make the stub compile and the test fail on its assertion, or correct `reason=\"...\"`.")

# --- content safety -------------------------------------------------------------------------
BIDI_CONTROL = _rule(
    "PB100", "bidi-control", "safety",
    "Bidirectional controls reorder text so reviewers see something else than Claude reads.",
    "Delete the character.")
ZERO_WIDTH = _rule(
    "PB101", "zero-width", "safety",
    "Zero-width characters hide text and split words that filters look for.",
    "Delete the character.")
TAG_CHARACTER = _rule(
    "PB102", "tag-character", "safety",
    "Unicode tag characters carry invisible instructions.", "Delete the character.")
MIXED_SCRIPT = _rule(
    "PB103", "mixed-script", "safety",
    "A word mixing Latin with Cyrillic or Greek letters impersonates another name.",
    "Spell the word in one script.")
HTML_COMMENT = _rule(
    "PB110", "html-comment", "safety",
    "HTML comments are hidden on the site but read by the model.",
    "Write it as visible text, or delete it.")
INSTRUCTION_OVERRIDE = _rule(
    "PB111", "instruction-override", "safety",
    "Phrases that tell the model to ignore its instructions are a prompt-injection attempt.",
    "Rephrase; quote such text only inside an `example=\"bad\"` block.")
EXFILTRATION = _rule(
    "PB112", "exfiltration", "safety",
    "Instructions to send files, keys or the environment to a URL move data out.",
    "Delete it; quote such text only inside an `example=\"bad\"` block.")
PIPE_TO_SHELL = _rule(
    "PB120", "pipe-to-shell", "safety",
    "Piping a download into a shell runs unreviewed code.",
    "Download, verify (checksum or signature), then run; or mark `example=\"bad\"`.")
DECODE_AND_EXEC = _rule(
    "PB121", "decode-and-exec", "safety",
    "Decoding and executing (`base64 -d | sh`, `eval` of fetched text) hides the payload.",
    "Show the plain command; or mark `example=\"bad\"`.")
RM_RF_ROOT = _rule(
    "PB122", "rm-rf-root", "safety",
    "`rm -rf` on `/`, `~` or a variable that may be empty deletes far more than meant.",
    "Remove a named path (`rm -rf ./build`), guard variables (`${DIR:?}`).")
CHMOD_777 = _rule(
    "PB123", "chmod-777", "safety", "World-writable permissions open files to every user.",
    "Grant what is needed (`chmod 755`, `chmod 600`).")
TLS_DISABLED = _rule(
    "PB124", "tls-disabled", "safety",
    "Turning off TLS verification allows man-in-the-middle attacks.",
    "Trust the right CA bundle instead; or mark `example=\"bad\"`.")
NO_VERIFY = _rule(
    "PB125", "no-verify", "safety",
    "`--no-verify` skips the guardrail hooks (secrets, TDD gate).",
    "Fix what the hook reports; or mark `example=\"bad\"`.")
SUDO = _rule(
    "PB126", "sudo", "safety",
    "`sudo` in an example that Claude may run escalates privileges on the user's machine.",
    "Drop `sudo` (use a container or user-level install), or mark `example=\"bad\"`.")
BROAD_TOOL_GRANT = _rule(
    "PB130", "broad-tool-grant", "safety",
    "Unrestricted `Bash` (or a shell, interpreter or network client) grants run anything.",
    "Narrow the grant, e.g. `Bash(pytest:*)`.")
AGENT_NETWORK_AND_WRITE = _rule(
    "PB131", "agent-network-and-write", "safety",
    "An agent with network tools and Bash or file writes can move data out unobserved.",
    "Drop one side, or state the reason in a `## Why these tools` section of the body.")
INSECURE_LINK = _rule(
    "PB140", "insecure-link", "safety", "`http://` links can be tampered with in transit.",
    "Use `https://`.")
IP_LINK = _rule(
    "PB141", "ip-link", "safety", "Links to bare IP addresses hide who is behind them.",
    "Link to a named host.")
SHORTENER_LINK = _rule(
    "PB142", "shortener-link", "safety", "URL shorteners hide the destination from review.",
    "Link to the destination itself.")
SECRET = _rule(
    "PB150", "secret", "safety",
    "Credentials in content reach every repository that installs the pack.",
    "Use a placeholder built from an environment variable, e.g. `os.environ[\"API_KEY\"]`.")
SKILL_FILE = _rule(
    "PB160", "skill-file", "safety",
    "Files beside a skill must be reviewable text (or declared png/svg assets): "
    "no executables, archives or large blobs.",
    "Keep scripts as source text under 256 KiB; images under assets/ as png or svg.")


# --- the scaffold and the exporters ---------------------------------------------------------
NAME_TAKEN = _rule(
    "PB200", "name-taken", "tools",
    "`playbook new` never overwrites: skills and agents share one namespace, and a skill folder "
    "or agent file of that name exists.",
    "Choose another name, or edit the existing skill or agent.")
IO_ERROR = _rule(
    "PB201", "io-error", "tools",
    "A file could not be read or written (permissions, a full disk); the tool changed nothing.",
    "Fix the permission or free the space the message names, then run it again.")
UNSAFE_PATH = _rule(
    "PB202", "unsafe-path", "tools",
    "An export writes only inside its target: never through a symlink, out of it with `..`, "
    "over a directory, or twice to one path.",
    "Remove the symlink or the directory the message names, or choose another target.")
EXPORT_MANIFEST = _rule(
    "PB203", "export-manifest", "tools",
    "The export manifest records what the last export wrote; from a broken one, `--remove` "
    "and the next export would have to guess.",
    "Restore it from version control, or delete it to start over.")
USER_FILE = _rule(
    "PB204", "user-file", "tools",
    "An export merges its entries into the user's `settings.json` and `CLAUDE.md`; it stops "
    "rather than rewrite one it cannot read.",
    "Fix the JSON, the encoding or the `playbook:begin` / `playbook:end` markers it names.")
USER_CHANGED = _rule(
    "PB205", "user-changed", "tools",
    "A file the export writes was changed by hand since the last export, or was never written "
    "by it: it is left as it is unless `--force`, and reported either way (not an error).",
    "Move the change into the source, or run the export with `--force` to overwrite it.")
STALE_MANIFESTS = _rule(
    "PB206", "stale-manifests", "tools",
    "The committed `.claude-plugin/*.json` carry a version that follows the content; Claude Code "
    "fetches new files only when it changes.",
    "Run `python -m playbook.export root` and commit the result.")
HOOK_COMMAND = _rule(
    "PB207", "hook-command", "tools",
    "A hook command must still work once written into `settings.json`, which has no plugin root "
    "and runs in a shell.",
    "Keep hook programs under `hooks/`; choose a target path without quotes, `$`, backticks or "
    "backslashes.")
EXPORT_FAILED = _rule(
    "PB208", "export-failed", "tools",
    "The site watcher met an error it did not expect (a bug, or an edit that breaks the rule "
    "table): it reports it and keeps watching.",
    "Read the error and fix the edit it names; the watcher exports again on the next change.")


def rule(code: str) -> Rule:
    """The rule for ``code``; an unknown code is a programming error."""
    try:
        return RULES[code]
    except KeyError:
        raise ValueError(f"{code!r} is not a rule code: add it to playbook.rules") from None


def known(code: str) -> str:
    """``code`` itself, once :func:`rule` has found it in the table."""
    return rule(code).code
