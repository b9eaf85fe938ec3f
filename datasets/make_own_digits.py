"""Make own_digit_0.png ... own_digit_9.png: ten "handwritten-looking" digits drawn from pen strokes.

No source data: each digit is a few strokes (straight segments and arcs) written here by hand,
given a slight slant and a small wobble (fixed seed), drawn with a round pen of about 2.5 pixels
and anti-aliased by 4x supersampling. Like a scan of a digit written on paper: dark ink on a
white background, 28 x 28 grey levels (8-bit PNG, mode "L"), the digit about 20 pixels tall and
centred, as in MNIST. Deterministic: the same bytes on every run (Pillow writes no timestamp).

Used by c1w4b_deep_nn_application ("try your own image"); the notebook has to invert and
rescale them before its network can read them, which is the point of the exercise.
"""
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SIZE, SUPER = 28, 4          # output pixels, supersampling factor
PEN = 1.25                   # pen radius in output pixels
SLANT = 0.18                 # x shifts by SLANT * (height above the centre): a right-leaning hand


def arc(cx, cy, rx, ry, start, stop, n=40):
    """Points of an elliptic arc in the unit box (x right, y down), angles in degrees, 0 = right, 90 = down."""
    t = np.radians(np.linspace(start, stop, n))
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], axis=1)


def line(*points):
    return np.array(points, dtype=float)


# Each digit: a list of strokes, each an (n, 2) array of points in a box of width 1 and height 1.
STROKES = {
    0: [arc(0.5, 0.5, 0.36, 0.5, -90, 275)],
    1: [line((0.32, 0.2), (0.58, 0.0), (0.5, 1.0))],
    2: [np.concatenate([arc(0.5, 0.3, 0.4, 0.3, 190, 380), line((0.86, 0.45), (0.08, 1.0), (0.95, 0.98))])],
    3: [arc(0.45, 0.26, 0.38, 0.26, 200, 450), arc(0.45, 0.74, 0.45, 0.26, 270, 505)],
    4: [line((0.62, 0.0), (0.05, 0.66), (0.95, 0.66)), line((0.7, 0.3), (0.68, 1.0))],
    5: [line((0.9, 0.0), (0.25, 0.02), (0.18, 0.45)), arc(0.45, 0.7, 0.42, 0.3, 220, 495)],
    6: [np.concatenate([line((0.8, 0.0)), arc(0.85, 0.68, 0.7, 0.68, 240, 180, 20),
                        arc(0.5, 0.72, 0.35, 0.28, 180, 540)])],
    7: [line((0.05, 0.02), (0.95, 0.0), (0.38, 1.0)), line((0.35, 0.52), (0.82, 0.5))],
    8: [arc(0.5, 0.25, 0.3, 0.25, 90, 450), arc(0.5, 0.74, 0.38, 0.26, -90, 270)],
    9: [arc(0.48, 0.28, 0.34, 0.28, 0, 360), line((0.82, 0.28), (0.72, 1.0))],
}
WIDTH = {1: 10.0}            # width of the digit box in output pixels (default 14)


def render(strokes, width, rng):
    """Ink in [0, 1] of shape (SIZE, SIZE): 1 where the pen passed, soft at the edges."""
    height = 20.0
    n = SIZE * SUPER
    centre = (np.arange(n) + 0.5) / SUPER                  # pixel centres in output-pixel units
    px, py = np.meshgrid(centre, centre)
    dist = np.full((n, n), np.inf)
    for stroke in strokes:
        pts = stroke + rng.normal(scale=0.012, size=stroke.shape)       # the wobble of a hand
        x = SIZE / 2 + (pts[:, 0] - 0.5) * width
        y = SIZE / 2 + (pts[:, 1] - 0.5) * height
        x = x - SLANT * (y - SIZE / 2)
        if len(pts) == 1:
            continue
        for (x0, y0), (x1, y1) in zip(np.stack([x, y], 1)[:-1], np.stack([x, y], 1)[1:]):
            dx, dy = x1 - x0, y1 - y0
            t = np.clip(((px - x0) * dx + (py - y0) * dy) / max(dx * dx + dy * dy, 1e-12), 0, 1)
            dist = np.minimum(dist, np.hypot(px - x0 - t * dx, py - y0 - t * dy))
    ink = np.clip(PEN + 0.5 - dist, 0, 1)                   # a round pen with a half-pixel soft edge
    return ink.reshape(SIZE, SUPER, SIZE, SUPER).mean(axis=(1, 3))


def main():
    from PIL import Image

    rng = np.random.default_rng(2024)
    for digit, strokes in STROKES.items():
        ink = render(strokes, WIDTH.get(digit, 14.0), rng)
        grey = np.round(255 * (1 - ink)).astype(np.uint8)  # dark ink on white paper
        out = HERE / f"own_digit_{digit}.png"
        Image.fromarray(grey, mode="L").save(out)
        print(f"wrote {out.name} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
