"""The footer that fits: on a narrow terminal it shows the keys a clerk presses most (keys.py
FOOTER_FIRST) and leaves out the rest, whole, instead of cutting the last ones in half; the
help (`?`) lists every key. Shown keys keep their table order."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from ..keys import FOOTER_FIRST


def _width(app: Any, binding: Any, compact: bool) -> int:
    """Cells a key takes in the footer: key, label and the gap after it (Textual's CSS)."""
    from ..textual_i18n import retranslate

    pad = 0 if compact else 2  # footer-key--key padding 0 1 when not compact
    # measured as shown: FooterKey re-translates the description into the language now in
    # use, and a binding's description is in the language its module was imported in
    label = cell_len(str(retranslate(str(binding.description))))
    return cell_len(app.get_key_display(binding)) + pad + (1 + label if label else 0) + 1


def fit(app: Any, bindings: list[Any], width: int, compact: bool = True) -> list[Any]:
    """The bindings that fit in `width` cells: most used first (FOOTER_FIRST), then the rest
    in table order; returned in table order."""
    def rank(item: tuple[int, Any]) -> tuple[int, int]:
        index, binding = item
        action = binding.action
        first = FOOTER_FIRST.index(action) if action in FOOTER_FIRST else len(FOOTER_FIRST)
        return first, index

    chosen: set[int] = set()
    used = 0
    for index, binding in sorted(enumerate(bindings), key=rank):
        w = _width(app, binding, compact)
        if used + w <= width:
            chosen.add(index)
            used += w
    return [b for i, b in enumerate(bindings) if i in chosen]


class DeskFooter(Footer):
    """A compact footer that drops the least used keys whole when the terminal is narrow;
    the command palette's key (`^p`) only where everything else fits."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(compact=True, **kwargs)
        self._fitted_width = 0
        self._composed: Any = None  # what the keys on show were made from

    def _keys_signature(self) -> Any:
        active = self.screen.active_bindings
        return (self.size.width or self.app.size.width, self.show_command_palette,
                tuple((b.key, b.action, str(b.description), enabled, tooltip)
                      for _node, b, enabled, tooltip in active.values() if b.show))

    async def recompose(self) -> None:
        """Only when the keys, their state or the width changed: Textual asks on every focus
        and binding signal, six times before the desk's first frame, each one rebuilding
        and restyling twenty keys (issue 18)."""
        if self._bindings_ready and self.is_attached:
            signature = self._keys_signature()
            if signature == self._composed:
                return
            self._composed = signature
        await super().recompose()

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        active = self.screen.active_bindings
        seen: set[str] = set()
        bindings = []
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                bindings.append((binding, enabled, tooltip))
        width = self.size.width or self.app.size.width
        self._fitted_width = width
        shown = fit(self.app, [b for b, _e, _t in bindings], width)
        used = sum(_width(self.app, b, True) for b in shown)
        for binding, enabled, tooltip in bindings:
            if binding in shown:
                yield FooterKey(binding.key, self.app.get_key_display(binding),
                                binding.description, binding.action, disabled=not enabled,
                                tooltip=tooltip).data_bind(compact=Footer.compact)
        palette = self.app.COMMAND_PALETTE_BINDING
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE and palette in active:
            _node, binding, enabled, tooltip = active[palette]
            if used + _width(self.app, binding, True) + 1 <= width:  # +1: its left border
                yield FooterKey(binding.key, self.app.get_key_display(binding),
                                binding.description, binding.action,
                                classes="-command-palette", disabled=not enabled,
                                tooltip=binding.tooltip or binding.description)

    def on_resize(self) -> None:
        if self._bindings_ready and self.size.width != self._fitted_width:
            self.call_after_refresh(self.recompose)
