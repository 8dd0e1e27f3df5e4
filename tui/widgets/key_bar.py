"""The footer of the review screens: every key the screen shows, wrapped onto as many lines as
it takes (two at 80 columns), where Textual's one-line Footer cuts the last ones off."""
from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: auto; max-height: 3; padding: 0 1;
             background: $footer-background; color: $footer-description-foreground; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _changed(self, screen) -> None:
        self.refresh(layout=True)

    def keys(self) -> list[tuple[str, str, bool]]:
        """(key as shown, label, enabled) of each binding the screen shows, one per action."""
        seen: set[str] = set()
        out = []
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            out.append((self.app.get_key_display(binding), binding.description, enabled))
        return out

    def render(self) -> Content:
        # Wrapped here, a key with its label never split: the width is known, the pairs are few.
        width = max(self.content_size.width, 20)
        lines: list[list] = [[]]
        used = 0
        for key, label, enabled in self.keys():
            w = cell_len(key) + 1 + cell_len(label)
            if used and used + 2 + w > width:
                lines.append([])
                used = 0
            lines[-1] += [("  " if used else "", ""),
                          (key, "bold $footer-key-foreground" if enabled else "$text-disabled"),
                          (f" {label}", "" if enabled else "$text-disabled")]
            used += w + (2 if used else 0)
        palette = "^p Commands"  # where the last line has room for it (it is in the help screen too)
        if self.app.ENABLE_COMMAND_PALETTE and used and used + 2 + cell_len(palette) <= width:
            lines[-1] += [("  ", ""), ("^p", "bold $footer-key-foreground"), (" Commands", "")]
        return Content("\n").join(Content.assemble(*line) for line in lines)

    def on_resize(self) -> None:
        self.refresh(layout=True)
