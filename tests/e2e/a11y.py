"""Accessibility checks for browser tests: axe-core and tap-target sizes on the page under test.

Use from any Playwright test::

    from tests.e2e.a11y import assert_accessible
    page.goto(url)
    assert_accessible(page)            # 0 serious/critical axe violations, every link and button ≥ 44 × 44 px

``axe_violations`` and ``small_tap_targets`` return the findings instead, for tests that want to look at them.
axe-core is vendored in ``static/vendor/axe-core`` (npm package, MPL-2.0); it is evaluated through the DevTools
protocol, so a page's Content-Security-Policy does not stop it, and no page of the site ever loads it.
"""

from __future__ import annotations

from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
MIN_TAP = 44  # CSS px, WCAG 2.5.5 (AAA) and the platform guidelines for phones
_axe_source: str | None = None

_TAP_TARGETS_JS = """(minimum) => {
  const selector = 'a[href], button, input[type=submit], input[type=button], input[type=reset], [role=button]';
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    const rects = Array.from(el.getClientRects()).filter((r) => r.width > 0 && r.height > 0);
    if (!rects.length) continue;                                      // not rendered
    const box = el.getBoundingClientRect();
    if (box.right <= 0 || box.bottom + window.scrollY <= 0) continue;  // parked off screen (skip link)
    // A link broken over two lines is tapped on one of its pieces: the largest piece must be big enough.
    const best = rects.reduce((a, r) => (r.width * r.height > a.width * a.height ? r : a));
    if (best.width + 0.5 < minimum || best.height + 0.5 < minimum) {
      small.push({tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || el.getAttribute('aria-label')
                  || '').trim().slice(0, 60), width: Math.round(best.width), height: Math.round(best.height)});
    }
  }
  return small;
}"""


def _inject_axe(page) -> None:
    global _axe_source
    if _axe_source is None:
        _axe_source = AXE_JS.read_text(encoding="utf-8")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source + "\n;true")


def axe_violations(page, impacts: tuple[str, ...] = ("serious", "critical"), disable: tuple[str, ...] = ()) -> list:
    """axe-core's violations on the page as it is now, of the given impacts: [{id, impact, help, nodes}]."""
    _inject_axe(page)
    result = page.evaluate("""async (disabled) => {
      const rules = Object.fromEntries(disabled.map((id) => [id, {enabled: false}]));
      const out = await window.axe.run(document, {rules, resultTypes: ['violations']});
      return out.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                                         nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5)}));
    }""", list(disable))
    return [v for v in result if v["impact"] in impacts]


def small_tap_targets(page, minimum: int = MIN_TAP) -> list:
    """Every visible link and button smaller than ``minimum`` × ``minimum`` CSS px: [{tag, text, width, height}]."""
    return page.evaluate(_TAP_TARGETS_JS, minimum)


def assert_accessible(page, disable: tuple[str, ...] = ()) -> None:
    """Fail with the findings unless axe finds no serious or critical violation and every tap target is ≥ 44 px."""
    violations = axe_violations(page, disable=disable)
    assert not violations, f"axe-core on {page.url}: {violations}"
    small = small_tap_targets(page)
    assert not small, f"tap targets under {MIN_TAP} px on {page.url}: {small}"
