"""The sign-in page's prefetch names real files of the installed Streamlit, and nothing else."""

from __future__ import annotations

import json
import re

from ui import prefetch


def test_every_module_is_one_file_of_the_installed_streamlit() -> None:
    files = prefetch.chunk_files()
    # An upgrade that renames a chunk fails here, not silently in the browser.
    assert [f.split(".")[0] for f in files] == list(prefetch.MODULES)
    for name in files:
        assert (prefetch._STATIC_JS / name).is_file()
        assert re.fullmatch(r"[A-Za-z][A-Za-z-]*\.[A-Za-z0-9_-]+\.js", name), name


def test_a_module_the_package_lacks_is_left_out() -> None:
    assert prefetch.chunk_files(("DataFrame", "NoSuchElementAnywhere")) == prefetch.chunk_files(("DataFrame",))


def test_the_script_imports_those_files_beside_streamlits_entry_module_and_holds_nothing_else() -> None:
    first, later = ("DataFrame.abc.js",), ('We"ird</script>.js', "TextArea.x1.js")
    source = prefetch.script(first, later)
    assert source.startswith("<script>") and source.endswith("</script>")
    assert source.count("</script>") == 1  # a name cannot end the script
    found = re.search(r"const first = (\[.*?\]), later = (\[.*?\]);", source)
    assert found is not None
    assert (json.loads(found.group(1)), json.loads(found.group(2))) == (list(first), list(later))
    assert "new URL(f, entry.src)" in source and "requestIdleCallback" in source
    assert source.index("load(first)") < source.index("load(later)")  # the first page's code first


def test_the_first_pages_modules_come_first_and_every_page_has_its_own() -> None:
    assert prefetch.MODULES[: len(prefetch.FIRST)] == prefetch.FIRST
    assert {"DataFrame", "Metric"} <= set(prefetch.FIRST) and {"TextArea", "ArrowVegaLiteChart"} <= set(prefetch.LATER)
