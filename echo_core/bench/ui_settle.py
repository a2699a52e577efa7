"""When is a click done? Click-to-settled time in the browser, as the broker sees it.

A click is *settled* when all of these hold (checked every 10 ms in the page):
1. Streamlit said the run the click started is over: a `script_finished` message (ForwardMsg field 6)
   with status FINISHED_SUCCESSFULLY or FINISHED_FRAGMENT_RUN_SUCCESSFULLY arrived on the websocket after
   the click (a run cut short by `st.rerun()` ends FINISHED_EARLY_FOR_RERUN and does not count);
2. no element is marked `data-stale="true"` (what the last run did not redraw is gone) and the app's
   `data-test-script-state` is not "running";
3. the interaction's expected element is there (the draft header with the new id, the page's title, …);
4. nothing in the page changed for QUIET_MS (a MutationObserver over the whole document, ignoring
   Streamlit's running-man status widget, whose own 200 ms fade-out is not the page).

The time reported is from the input event that started it (`pointerdown` or `keydown`, captured in the page,
so Playwright's own locating and scrolling is not counted) to the later of the last DOM change and the end of
the run — the quiet window itself is not counted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

QUIET_MS = 150
TIMEOUT_MS = 30_000

# Installed in every document before Streamlit's own scripts run.
INIT_SCRIPT = """
(() => {
  const b = window.__bench = {armed: false, t0: null, last: 0, finished: null, runs: 0};
  const readVarint = (bytes, i) => { let v = 0, s = 0, x;
    do { x = bytes[i++]; v += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80 && i < bytes.length);
    return [v, i]; };
  // The status of a ForwardMsg's script_finished field (6, varint) at the top level, else null.
  const finishedStatus = (bytes) => { let i = 0;
    while (i < bytes.length) { let tag; [tag, i] = readVarint(bytes, i);
      const field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { let v; [v, i] = readVarint(bytes, i); if (field === 6) return v; }
      else if (wire === 2) { let n; [n, i] = readVarint(bytes, i); i += n; }
      else if (wire === 1) i += 8; else if (wire === 5) i += 4; else return null; }
    return null; };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) { super(...args);
      this.addEventListener('message', (event) => {
        if (b.t0 === null || !(event.data instanceof ArrayBuffer || event.data instanceof Blob)) return;
        const now = performance.now();
        const take = (buf) => { const status = finishedStatus(new Uint8Array(buf));
          if (status === 0 || status === 3) { b.finished = now; b.runs++; } };
        if (event.data instanceof ArrayBuffer) take(event.data); else event.data.arrayBuffer().then(take);
      });
    }
  };
  const start = () => { if (b.armed) { b.armed = false; b.t0 = performance.now(); b.last = b.t0; b.finished = null; } };
  window.addEventListener('pointerdown', start, true);
  window.addEventListener('keydown', start, true);
  const watch = () => new MutationObserver((records) => {
    if (b.t0 === null) return;
    for (const r of records) {
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (el && el.closest && el.closest('[data-testid="stStatusWidget"]')) continue;
      b.last = performance.now(); return;
    }
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true, characterData: true});
  if (document.documentElement) watch(); else document.addEventListener('DOMContentLoaded', watch);
})();
"""

# `expect` is the source of a JS function of (document, before) -> bool.
SETTLED = """
([expect, before, quiet]) => {
  const b = window.__bench;
  if (b.t0 === null || b.finished === null) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  const app = document.querySelector('[data-testid="stApp"]');
  if (app && app.getAttribute('data-test-script-state') === 'running') return false;
  let ok = false;
  try { ok = !!(new Function('return (' + expect + ')')())(document, before); } catch (e) { ok = false; }
  if (!ok) return false;
  const now = performance.now();
  return now - Math.max(b.last, b.finished) >= quiet;
}
"""

ELAPSED = "() => { const b = window.__bench; return Math.max(b.last, b.finished) - b.t0; }"
RUN_OVER = "() => { const b = window.__bench; return b.finished - b.t0; }"
ARM = "() => { window.__bench.armed = true; window.__bench.t0 = null; window.__bench.finished = null; }"


class NotSettled(Exception):
    """The page did not settle with the expected element in time."""


def timed(page: Any, action: Callable[[], None], expect: str, before: Any = None, *,
          timeout_ms: int = TIMEOUT_MS) -> float:
    """Milliseconds from the input event `action` causes to the settled page (see the module docstring)."""
    page.evaluate(ARM)
    action()
    try:
        page.wait_for_function(SETTLED, arg=[expect, before, QUIET_MS], polling=10, timeout=timeout_ms)
    except Exception as error:  # noqa: BLE001 - Playwright's TimeoutError: say what was awaited
        raise NotSettled(f"not settled within {timeout_ms / 1000:.0f} s waiting for {expect[:120]}") from error
    return float(page.evaluate(ELAPSED))


def run_over(page: Any) -> float:
    """For the click `timed` just measured: milliseconds from its input event to the end of the run it started (the
    script_finished message received). The rest of the click is the browser drawing what the run sent."""
    return float(page.evaluate(RUN_OVER))


def settle(page: Any, action: Callable[[], None], expect: str = "() => true", before: Any = None) -> None:
    """The same wait, untimed: for set-up steps between the measured ones."""
    timed(page, action, expect, before)


# Expectations, as JS function sources of (document, before).
def heading(text: str) -> str:
    """An h1 whose text is exactly `text`."""
    return ("(d) => [...d.querySelectorAll('h1')].some(h => h.textContent.trim() === " + repr(text) + ")")


def text_present(text: str) -> str:
    return "(d) => d.body.innerText.includes(" + repr(text) + ")"


DRAFT_HEADER = ("(d) => { const h = [...d.querySelectorAll('h3')].map(x => x.textContent)"
                ".find(t => /Draft #\\d+/.test(t)); return h ? h.match(/Draft #(\\d+)/)[1] : null; }")


def draft_header_is_not(before: str | None) -> str:
    """A draft header ("Draft #N") whose id differs from `before` (the one open before the click)."""
    return f"(d, before) => {{ const id = ({DRAFT_HEADER})(d); return id !== null && id !== before; }}"
