"""The inbox's keyboard shortcuts: one registry, the buttons' own `shortcut=`, a help popover, and one script.

Streamlit 1.67 buttons take `shortcut=` (it ignores plain keys while the broker types in a field),
so next / previous / approve / send / archive are real buttons with real shortcuts. Two things
need the small fixed script below (it carries no data):
- a shortcut pressed while typing in the reply must not act on stale text: Streamlit only
  receives a text area's value when the field loses focus, so the script blurs the reply first
  (the value is committed, then the button fires, as with a mouse click);
- "focus the reply" (F) and "leave the reply, keeping the text" (Esc) move the focus;
- the archive form (E) gets the focus on its reasons, so the arrow keys pick one.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

REPLY_CONTAINER = "echo_reply"  # st.container key around the reply editor: class st-key-echo_reply


@dataclass(frozen=True)
class Shortcut:
    keys: str  # Streamlit's spelling (shown on the button)
    does: str


NEXT = Shortcut("J", "Open the next draft in the queue")
PREVIOUS = Shortcut("K", "Open the previous draft")
FOCUS = Shortcut("F", "Focus the reply, to edit it")
LEAVE = Shortcut("Esc", "Leave the reply (your text is kept and counts for approve and send)")
APPROVE = Shortcut("A", "Approve the text you see (unsaved changes are saved with it)")
SEND = Shortcut("Ctrl+Enter", "Approve & send (or Send) the text you see — works while typing")
SAVE = Shortcut("Ctrl+S", "Save your edit")
ARCHIVE = Shortcut("E", "Archive the draft (pick a reason, then Archive)")
SHORTCUTS = (NEXT, PREVIOUS, FOCUS, LEAVE, APPROVE, SEND, SAVE, ARCHIVE)

_SCRIPT = """
<script>
(function () {
  if (window.__echoInboxKeys) { return; }
  window.__echoInboxKeys = true;
  function reply() { return document.querySelector(".st-key-CONTAINER textarea"); }
  window.addEventListener("keydown", function (event) {
    var box = reply();
    var typing = box && event.target === box;
    var chord = event.ctrlKey || event.metaKey;
    if (typing && event.key === "Escape") { box.blur(); event.preventDefault(); return; }
    if (typing && chord && (event.key === "Enter" || event.key === "s" || event.key === "S")) {
      box.blur();  /* commits the text before the button's shortcut runs */
      return;
    }
    var t = event.target;
    var editing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (!editing && box && !chord && !event.altKey && (event.key === "f" || event.key === "F")) {
      event.preventDefault();
      box.focus();
    }
  }, true);
  /* The archive form opens under the reply (E, or its button): put the focus on its reasons, so arrows pick one.
     Looked for only for a moment after such a press: an observer of the whole page would run on every change of
     every page for the rest of the tab's life. */
  function focusArchiveSoon() {
    var until = performance.now() + 3000;
    (function look() {
      var form = document.querySelector('[class*="st-key-archive_form_"]');
      var first = form && !form.dataset.echoFocused && form.querySelector('input[type="radio"]');
      if (first) { form.dataset.echoFocused = "1"; first.focus(); return; }
      if (performance.now() < until) { requestAnimationFrame(look); }
    })();
  }
  window.addEventListener("keydown", function (event) {
    var t = event.target;
    var editing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (!editing && !event.ctrlKey && !event.metaKey && !event.altKey && (event.key === "e" || event.key === "E")) {
      focusArchiveSoon();
    }
  }, true);
  window.addEventListener("click", function (event) {
    if (event.target && event.target.closest && event.target.closest('[class*="st-key-archive_open_"]')) {
      focusArchiveSoon();
    }
  }, true);
})();
</script>
""".replace("CONTAINER", REPLY_CONTAINER)


def install() -> None:
    """Add the focus / commit-before-shortcut script to the page (it installs itself once per tab)."""
    st.html(_SCRIPT, unsafe_allow_javascript=True)


# A fixed markdown table, not a dataframe: the popover is drawn (closed) on every run of the page.
_HELP = "| Key | Does |\n|---|---|\n" + "\n".join(f"| {s.keys} | {s.does} |" for s in SHORTCUTS)


def help_popover() -> None:
    with st.popover("Shortcuts", icon=":material/keyboard:", help="What you can do from the keyboard"):
        st.markdown(_HELP)
        st.caption("Ctrl is ⌘ on a Mac. Plain keys work when you are not typing in a field.")
