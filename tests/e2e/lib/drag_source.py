#!/usr/bin/python3
"""A small GTK window that offers files for drag and drop, as a file manager does (XDND, text/uri-list).

The drag-and-drop test starts it beside the app on the virtual display and drags from it with the
pointer (xdotool), so the files reach the app the way a person's drag would: through X11 and GTK, not
through a script in the page.

    drag_source.py X Y FILE...   # a 160×100 window at (X, Y); prints "ready" and, after a drag, "dropped"
"""
import sys

import gi

gi.require_version("Gtk", "3.0")
from gi.repository import Gio, Gtk, Gdk  # noqa: E402


def main() -> None:
    x, y, paths = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    uris = [Gio.File.new_for_path(p).get_uri() for p in paths]
    window = Gtk.Window(title="drag source")
    window.set_default_size(160, 100)
    window.set_decorated(False)
    window.move(x, y)
    box = Gtk.EventBox()
    box.add(Gtk.Label(label="drag me"))
    box.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, [], Gdk.DragAction.COPY)
    box.drag_source_add_uri_targets()
    box.connect("drag-data-get", lambda _w, _c, data, _i, _t: data.set_uris(uris))
    box.connect("drag-end", lambda *_: print("dropped", flush=True))
    window.add(box)
    window.connect("destroy", Gtk.main_quit)
    window.connect("map-event", lambda *_: print("ready", flush=True))
    window.show_all()
    Gtk.main()


if __name__ == "__main__":
    main()
