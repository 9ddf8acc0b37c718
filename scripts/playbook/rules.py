"""The rule table: every check the validator and the code-block checker report, as data.

Each rule has a stable code (never reused), a short name, the reason it exists and how to satisfy
it legitimately. The site publishes this table (``python -m playbook.export site``), and the tests
hold every rule to a failing and a passing fixture.
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


_TABLE: list[tuple[str, str, str, str, str]] = [
    # --- files and encoding -------------------------------------------------------------------
    ("PB001", "not-utf8", "file", "Bytes that are not UTF-8 make every parser guess.",
     "Save the file as UTF-8."),
    ("PB002", "bom", "file",
     "A byte-order mark hides the opening `---`, so the frontmatter is lost.",
     "Save as UTF-8 without BOM."),
    ("PB003", "crlf", "file", "CRLF line endings break frontmatter detection in some clients.",
     "Use LF line endings (`git config core.autocrlf input`)."),
    ("PB004", "empty-file", "file", "An empty skill or agent loads as nothing.",
     "Write the content, or delete the file."),
    # --- frontmatter syntax -------------------------------------------------------------------
    ("PB005", "no-frontmatter", "frontmatter",
     "Skills and agents need a YAML block between `---` lines; without it they load unnamed.",
     "Start the file with `---`, the YAML keys, then `---`."),
    ("PB006", "frontmatter-unclosed", "frontmatter",
     "A block that never closes swallows the whole body into YAML.",
     "Close the frontmatter with a line holding only `---`."),
    ("PB007", "yaml-syntax", "frontmatter",
     "Clients drop all frontmatter fields silently when the YAML does not parse.",
     "Fix the YAML at the position given; quote values that contain `: ` or start with `[`."),
    ("PB008", "duplicate-key", "frontmatter",
     "YAML parsers disagree on duplicate keys (last wins, first wins, or error).",
     "Keep one occurrence of the key."),
    ("PB009", "frontmatter-not-mapping", "frontmatter",
     "Frontmatter must be a mapping of keys to values.", "Write `key: value` lines."),
    ("PB010", "yaml11-surprise", "frontmatter",
     "YAML 1.1 reads `no`, `on`, dates and `1.10` as booleans, dates and floats.",
     "Quote the value: `'no'`, `'2025-01-02'`, `'1.10'`."),
    ("PB011", "tab", "frontmatter", "Tabs are not allowed as YAML indentation and confuse parsers.",
     "Indent with spaces."),
    # --- skills ---------------------------------------------------------------------------------
    ("PB020", "skill-unknown-key", "skill",
     "Only the six Agent Skills keys are portable; `skills-ref` and claude.ai reject the rest.",
     "Move your own fields under `metadata`."),
    ("PB021", "missing-key", "skill",
     "`name` and `description` are required by the Agent Skills spec and the client.",
     "Add the missing key."),
    ("PB022", "name-pattern", "skill",
     "Names are lowercase words joined by single hyphens (`^[a-z0-9]+(-[a-z0-9]+)*$`).",
     "Rename, e.g. `python-testing`."),
    ("PB023", "name-too-long", "skill", "Names longer than 64 characters are rejected.",
     "Shorten the name."),
    ("PB024", "name-mismatch", "skill",
     "The name must equal its folder (skills) or file stem (agents), or clients disagree on it.",
     "Rename the folder or file, or the `name`."),
    ("PB025", "name-reserved", "skill", "Names containing `claude` or `anthropic` are reserved.",
     "Choose another name."),
    ("PB026", "description-length", "skill",
     "A description must be a string of 1 to 1024 characters.", "Write or shorten it."),
    ("PB027", "description-angle-brackets", "skill",
     "`<` and `>` read as XML tags; claude.ai rejects them in descriptions.",
     "Reword without angle brackets."),
    ("PB028", "description-use-when", "skill",
     "Claude picks skills by their description: it must say when to use the skill.",
     "Add a sentence starting `Use when ...` with the words a user would type."),
    ("PB029", "metadata-strings", "skill", "`metadata` is a map of string keys to string values.",
     "Quote the values; write lists as comma-separated strings."),
    ("PB030", "allowed-tools-format", "skill",
     "`allowed-tools` is one space-separated string; `skills-ref` rejects flow lists.",
     "Write `allowed-tools: Read Grep Bash(pytest:*)`."),
    ("PB031", "field-type", "skill",
     "A field has the wrong type or length (`compatibility` at most 500 characters).",
     "Use the type the spec names."),
    ("PB032", "body-too-long", "skill",
     "SKILL.md bodies over 500 lines cost context on every use.",
     "Move depth into `references/*.md` and link it."),
    ("PB033", "reference-link", "skill",
     "Links into `references/` must resolve and stay one level deep.",
     "Fix the path, or create the reference file."),
    # --- agents ---------------------------------------------------------------------------------
    ("PB040", "agent-unknown-key", "agent",
     "Unknown agent keys are ignored by the client: usually a typo.",
     "Use a documented subagent field."),
    ("PB041", "agent-tool", "agent",
     "Every `tools` entry must be a real Claude Code tool or `mcp__server__tool`.",
     "Check the spelling against scripts/playbook/data/claude_tools.json."),
    ("PB042", "agent-model", "agent",
     "`model` must be `sonnet`, `opus`, `haiku`, `inherit` or a full `claude-...` id.",
     "Pick one of those."),
    ("PB043", "agent-color", "agent", "`color` must be one of the client's colours.",
     "Use red, blue, green, yellow, purple, orange, pink or cyan."),
    ("PB044", "agent-field", "agent", "A subagent field has a value the client does not accept.",
     "Use a documented value."),
    # --- across files ---------------------------------------------------------------------------
    ("PB050", "duplicate-name", "catalogue",
     "Two skills or agents with one name shadow each other in the client.",
     "Rename one of them."),
    ("PB051", "broken-link", "catalogue", "A relative link points at a file that does not exist.",
     "Fix the path."),
    ("PB052", "indented-container", "catalogue",
     "Indented `!!!`/`===` blocks hide fences from markdown parsers and from Claude.",
     "Use `/// note` and `/// tab` blocks (pymdownx.blocks)."),
    # --- code blocks ----------------------------------------------------------------------------
    ("PB060", "block-language", "code",
     "A fence without a language cannot be checked.", "Name the language after the fence."),
    ("PB061", "block-setting", "code",
     "Info-string settings are `test`, `reason`, `group`, `title` and `example`, quoted.",
     'Write `python test="skip" reason="needs a server"`.'),
    ("PB062", "block-reason", "code",
     "Skipping a check, or lowering it to a parse, needs a stated reason.",
     'Add `reason="..."`.'),
    ("PB063", "block-check", "code", "The block failed its check (run, compile or parse).",
     "Fix the code, or mark an anti-pattern with `example=\"bad\"`."),
    # --- content safety -------------------------------------------------------------------------
    ("PB100", "bidi-control", "safety",
     "Bidirectional controls reorder text so reviewers see something else than Claude reads.",
     "Delete the character."),
    ("PB101", "zero-width", "safety",
     "Zero-width characters hide text and split words that filters look for.",
     "Delete the character."),
    ("PB102", "tag-character", "safety",
     "Unicode tag characters carry invisible instructions.", "Delete the character."),
    ("PB103", "mixed-script", "safety",
     "A word mixing Latin with Cyrillic or Greek letters impersonates another name.",
     "Spell the word in one script."),
    ("PB110", "html-comment", "safety",
     "HTML comments are hidden on the site but read by the model.",
     "Write it as visible text, or delete it."),
    ("PB111", "instruction-override", "safety",
     "Phrases that tell the model to ignore its instructions are a prompt-injection attempt.",
     "Rephrase; quote such text only inside an `example=\"bad\"` block."),
    ("PB112", "exfiltration", "safety",
     "Instructions to send files, keys or the environment to a URL move data out.",
     "Delete it; quote such text only inside an `example=\"bad\"` block."),
    ("PB120", "pipe-to-shell", "safety",
     "Piping a download into a shell runs unreviewed code.",
     "Download, verify (checksum or signature), then run; or mark `example=\"bad\"`."),
    ("PB121", "decode-and-exec", "safety",
     "Decoding and executing (`base64 -d | sh`, `eval` of fetched text) hides the payload.",
     "Show the plain command; or mark `example=\"bad\"`."),
    ("PB122", "rm-rf-root", "safety",
     "`rm -rf` on `/`, `~` or a variable that may be empty deletes far more than meant.",
     "Remove a named path (`rm -rf ./build`), guard variables (`${DIR:?}`)."),
    ("PB123", "chmod-777", "safety", "World-writable permissions open files to every user.",
     "Grant what is needed (`chmod 755`, `chmod 600`)."),
    ("PB124", "tls-disabled", "safety",
     "Turning off TLS verification allows man-in-the-middle attacks.",
     "Trust the right CA bundle instead; or mark `example=\"bad\"`."),
    ("PB125", "no-verify", "safety",
     "`--no-verify` skips the guardrail hooks (secrets, TDD gate).",
     "Fix what the hook reports; or mark `example=\"bad\"`."),
    ("PB126", "sudo", "safety",
     "`sudo` in an example that Claude may run escalates privileges on the user's machine.",
     "Drop `sudo` (use a container or user-level install), or mark `example=\"bad\"`."),
    ("PB130", "broad-tool-grant", "safety",
     "Unrestricted `Bash` (or a shell, interpreter or network client) grants run anything.",
     "Narrow the grant, e.g. `Bash(pytest:*)`."),
    ("PB131", "agent-network-and-write", "safety",
     "An agent with network tools and Bash or file writes can move data out unobserved.",
     "Drop one side, or state the reason in a `## Why these tools` section of the body."),
    ("PB140", "insecure-link", "safety", "`http://` links can be tampered with in transit.",
     "Use `https://`."),
    ("PB141", "ip-link", "safety", "Links to bare IP addresses hide who is behind them.",
     "Link to a named host."),
    ("PB142", "shortener-link", "safety", "URL shorteners hide the destination from review.",
     "Link to the destination itself."),
    ("PB150", "secret", "safety",
     "Credentials in content reach every repository that installs the pack.",
     "Use a placeholder built from an environment variable, e.g. `os.environ[\"API_KEY\"]`."),
    ("PB160", "skill-file", "safety",
     "Files beside a skill must be reviewable text (or declared png/svg assets): "
     "no executables, archives or large blobs.",
     "Keep scripts as source text under 256 KiB; images under assets/ as png or svg."),
]

RULES: dict[str, Rule] = {row[0]: Rule(*row) for row in _TABLE}


def rule(code: str) -> Rule:
    """The rule for ``code``; unknown codes are a programming error."""
    return RULES[code]
