"""TSX blocks are type-checked for real: React's types and the JSX runtime resolve, so a JSX
type error fails the block; only imports of packages that are not installed stay `any`."""

from __future__ import annotations

import pytest
from playbook.content import load
from playbook.examples import check_static, checkers

COMPONENT = """\
import { useState } from 'react';

export function Counter({ start }: { start: number }) {
  const [count, setCount] = useState(start);
  return <button onClick={() => setCount(count + 1)}>{count}</button>;
}
"""


def checked(write, *blocks: str):  # noqa: ANN001, ANN201
    body = "".join(f'\n```tsx group="ui" title="{title}"\n{code}```\n'
                   for title, code in zip(["Counter.tsx", "Counter.test.tsx"], blocks,
                                           strict=False))
    found = load(write("docs/page.md", "# Page\n" + body)).blocks
    return [check_static(block, found) for block in found]


@pytest.mark.slow
@pytest.mark.needs("tsc")
def test_a_correct_component_and_its_test_type_check(write) -> None:  # noqa: ANN001
    usage = ("import { render } from '@testing-library/react';\n"  # not installed: any
             "import { Counter } from './Counter';\n\n"
             "render(<Counter start={1} />);\n")
    component, test = checked(write, COMPONENT, usage)
    assert (component.tier, component.errors) == ("compiled", [])
    assert (test.tier, test.errors) == ("compiled", [])


@pytest.mark.slow
@pytest.mark.needs("tsc")
@pytest.mark.parametrize(("usage", "code"), [
    ("<Counter start=\"1\" />", "TS2322"),  # a string where the prop is a number
    ("<Counter />", "TS2741"),  # a required prop missing
    ("<div onClick={(e: string) => e} />", "TS2322"),  # the handler's event is not a string
    ("<span>{{ a: 1 }}</span>", "TS2353"),  # an object is not a React node
    ("<unknowntag />", "TS2339"),  # not an intrinsic element
])
def test_a_jsx_type_error_fails_the_block_on_its_line(write, usage: str, code: str) -> None:  # noqa: ANN001
    source = f"import {{ Counter }} from './Counter';\n\nexport const view = {usage};\n"
    _component, test = checked(write, COMPONENT, source)
    assert test.tier == "compiled"
    assert test.errors, f"{usage} type-checked"
    line, _col, message = test.errors[0]
    # the second block's body starts on line 13 of the page; the JSX is its third line
    assert line == 15 and code in message, test.errors


def test_without_react_types_tsx_is_parsed_and_they_are_named(write, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(checkers, "REACT_TYPES", checkers.REACT_TYPES / "missing")
    component, _ = checked(write, COMPONENT, "export const x = 1;\n")
    assert (component.tier, component.ok, component.missing) == ("parsed", True,
                                                                  ["@types/react"])
