"""The command palette (ctrl+p): the registry's actions for the screen it was opened from."""
from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .actions import ACTIONS, Action, action_name, key_label


class ActionsProvider(Provider):
    """Offers every registry action that the current screen (or the app) can run right now."""

    def _available(self) -> list[tuple[Action, object]]:
        screen = self.screen
        scope = getattr(screen, "SCOPE", None)
        out = []
        for a in ACTIONS:
            if not a.palette:
                continue
            if a.scope == "app":
                target = self.app
            elif a.scope == scope:
                target = screen
            else:
                continue
            if target.check_action(action_name(a), ()) is False:  # hidden where it cannot apply
                continue
            out.append((a, target))
        return out

    async def discover(self) -> Hits:
        for a, target in self._available():
            yield DiscoveryHit(f"{a.title}  ({key_label(a)})", partial(self.app.run_action, a.action, target), help=a.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for a, target in self._available():
            name = f"{a.title}  ({key_label(a)})"
            score = max(matcher.match(name), matcher.match(a.help) * 0.5)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self.app.run_action, a.action, target), help=a.help)
