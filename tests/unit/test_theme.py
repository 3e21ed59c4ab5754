"""The theme's accent colours every progress bar: it must not be a RAG colour (a red bar on a
Green item reads as an alarm) nor any red or amber."""
import colorsys
import tomllib

from core.settings import ROOT
from services.labels import RAG_COLOURS


def test_the_progress_colour_is_neutral():
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
    colour = theme["primaryColor"].upper()
    assert colour not in {c.upper() for c in RAG_COLOURS.values()}
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue = colorsys.rgb_to_hsv(r, g, b)[0] * 360
    assert 180 <= hue <= 260, f"{colour} is not a neutral blue (hue {hue:.0f})"
