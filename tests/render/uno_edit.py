"""Edit a .docx in LibreOffice with its changes recorded, as a reviewer would (run by the system Python).

    /usr/bin/python3 uno_edit.py IN.docx OUT.docx PIPE PROFILE_URL EDITS.json

EDITS.json: {"author": "校正者A", "record": true, "edits": [...]} where each edit is one of
    {"replace": OLD, "with": NEW}            the first occurrence of OLD becomes NEW (recorded)
    {"comment": TEXT, "on": PASSAGE}          a comment anchored on the first occurrence of PASSAGE

Like render/uno_print.py it starts a private headless soffice with a profile of its own; the
profile's user name (Tools > Options > User Data) is `author`, so LibreOffice records it as
w:author of every revision. The document is saved with LibreOffice's own Word filter
("MS Word 2007 XML"), tracked changes and comments included. "record": false leaves recording as
the document asks (a confirmation sheet switches it on itself). Prints {"done": N, "recording":
bool} on stdout: whether LibreOffice recorded the changes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]


def props(**values):
    out = []
    for name, value in values.items():
        p = PropertyValue()
        p.Name, p.Value = name, value
        out.append(p)
    return tuple(out)


def connect(pipe: str):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 60
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def set_user_name(ctx, author: str) -> None:
    provider = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", ctx)
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        props(nodepath="/org.openoffice.UserProfile/Data"))
    access.setPropertyValue("givenname", author)
    access.setPropertyValue("sn", "")
    access.commitChanges()


def find(doc, text: str):
    search = doc.createSearchDescriptor()
    search.SearchString = text
    search.SearchCaseSensitive = True
    found = doc.findFirst(search)
    if found is None:
        raise SystemExit(f"not found: {text}")
    return found


def main(source: str, target: str, pipe: str, profile: str, edits_file: str) -> None:
    with open(edits_file, encoding="utf-8") as fh:
        spec = json.load(fh)
    desktop = None
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         f"-env:UserInstallation={profile}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        ctx = connect(pipe)
        set_user_name(ctx, spec["author"])
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, props(Hidden=True))
        if spec.get("record", True):
            doc.RecordChanges = True
        recording = bool(doc.RecordChanges)
        done = 0
        for edit in spec["edits"]:
            if "replace" in edit:
                find(doc, edit["replace"]).setString(edit["with"])
            else:
                found = find(doc, edit["on"])
                note = doc.createInstance("com.sun.star.text.TextField.Annotation")
                note.Author = spec["author"]
                note.Content = edit["comment"]
                now = time.localtime()
                stamp = uno.createUnoStruct("com.sun.star.util.DateTime")
                stamp.Year, stamp.Month, stamp.Day = now.tm_year, now.tm_mon, now.tm_mday
                stamp.Hours, stamp.Minutes = now.tm_hour, now.tm_min
                note.DateTimeValue = stamp
                found.getText().insertTextContent(found, note, True)
            done += 1
        doc.storeToURL(uno.systemPathToFileUrl(target), props(FilterName="MS Word 2007 XML"))
        doc.close(True)
        json.dump({"done": done, "recording": recording}, sys.stdout)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            office.wait(timeout=15)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()


if __name__ == "__main__":
    main(*sys.argv[1:6])
