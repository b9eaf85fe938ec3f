"""Images of simple shapes with their bounding boxes, for the object-detection assignment (c4w3).

Every image is square, `size` x `size` RGB (float32 in [0, 1], channels last), showing one to
`max_objects` filled shapes of three classes on a smooth random texture:

    class 0  circle      (round: box width == height)
    class 1  square      (axis-aligned: box width == height)
    class 2  triangle    (isosceles, apex up or down; width / height between 0.8 and 1.25)

A shape's colour is drawn from a palette independently of its class, so colour says nothing about
the class: a detector has to look at the outline. Edges are anti-aliased (4 x 4 samples a pixel).

Coordinates are continuous pixel units: pixel (r, c) covers rows [r, r + 1) and columns [c, c + 1),
so a box lies in [0, size] along each axis. A box is (y1, x1, y2, x2) = (top, left, bottom, right),
the tight box of the shape. Ground truth comes as three flat arrays over all images (the layout
the assignment's average precision takes):

    images, truth = make_shapes(n=8, seed=0)
    images            (8, 48, 48, 3) float32
    truth["boxes"]    (K, 4) float64, pixel corners (y1, x1, y2, x2)
    truth["classes"]  (K,) int64 in {0, 1, 2}
    truth["image_ids"](K,) int64 in [0, 8): the image each box belongs to

The centres of the shapes of one image fall in distinct cells of a `grid` x `grid` partition of the
image (so a detector with an S = grid output grid and one box per cell can name them all), and two
boxes of one image overlap little (IoU at most `max_iou`). Everything is drawn from
numpy.random.default_rng(seed): the same arguments give the same images.
"""
import numpy as np

CLASS_NAMES = ("circle", "square", "triangle")
PALETTE = np.array([[0.90, 0.15, 0.15],    # red
                    [0.10, 0.70, 0.20],    # green
                    [0.15, 0.30, 0.95],    # blue
                    [0.95, 0.85, 0.10],    # yellow
                    [0.85, 0.20, 0.85],    # magenta
                    [0.10, 0.85, 0.90]])   # cyan
SUPERSAMPLE = 4


def _box_iou(a, b):
    """IoU of two boxes (y1, x1, y2, x2), each a sequence of 4 numbers -> float (0 when disjoint)."""
    dy = min(a[2], b[2]) - max(a[0], b[0])
    dx = min(a[3], b[3]) - max(a[1], b[1])
    inter = max(dy, 0.0) * max(dx, 0.0)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union


def _background(rng, size):
    """A smooth, muted random texture (size, size, 3) float64: a 4 x 4 grid of colours, bilinearly
    interpolated, pulled towards grey, plus a little pixel noise."""
    coarse = rng.uniform(0.2, 0.8, size=(4, 4, 3))
    t = (np.arange(size) + 0.5) / size * 3            # pixel centres in coarse-grid units [0, 3]
    i = np.minimum(t.astype(int), 2)
    f = (t - i)[:, None]
    rows = coarse[i] * (1 - f[..., None]) + coarse[i + 1] * f[..., None]          # (size, 4, 3)
    g = (t - i)[None, :, None]
    img = rows[:, i] * (1 - g) + rows[:, i + 1] * g                               # (size, size, 3)
    grey = img.mean(axis=2, keepdims=True)
    img = 0.45 * img + 0.55 * grey
    return img + rng.normal(scale=0.03, size=img.shape)


def _coverage(kind, box, size, flip):
    """Fraction of each pixel of the box's pixel window covered by the shape.

    Returns (r0, c0, cover) with cover (h, w) for the pixels rows r0.., columns c0.."""
    y1, x1, y2, x2 = box
    r0, c0 = int(np.floor(y1)), int(np.floor(x1))
    r1, c1 = min(int(np.ceil(y2)), size), min(int(np.ceil(x2)), size)
    sub = (np.arange(SUPERSAMPLE) + 0.5) / SUPERSAMPLE
    ys = (np.arange(r0, r1)[:, None] + sub[None, :]).ravel()     # sample rows, (h * 4,)
    xs = (np.arange(c0, c1)[:, None] + sub[None, :]).ravel()
    Y, X = ys[:, None], xs[None, :]
    cy, cx, h, w = (y1 + y2) / 2, (x1 + x2) / 2, y2 - y1, x2 - x1
    if kind == 0:
        inside = (Y - cy) ** 2 + (X - cx) ** 2 <= (h / 2) ** 2
    elif kind == 1:
        inside = (Y >= y1) & (Y <= y2) & (X >= x1) & (X <= x2)
    else:
        depth = (y2 - Y) / h if flip else (Y - y1) / h          # 0 at the apex, 1 at the base
        inside = (depth >= 0) & (depth <= 1) & (np.abs(X - cx) <= depth * w / 2)
    cover = inside.reshape(r1 - r0, SUPERSAMPLE, c1 - c0, SUPERSAMPLE).mean(axis=(1, 3))
    return r0, c0, cover


def _draw_boxes(rng, size, max_objects, min_side, max_side, grid, max_iou):
    """Boxes (k, 4), classes (k,) and flips (k,) of one image, placed under the module's rules."""
    k = int(rng.integers(1, max_objects + 1))
    boxes, classes, flips, cells = [], [], [], set()
    for _ in range(200):
        if len(boxes) == k:
            break
        kind = int(rng.integers(len(CLASS_NAMES)))
        h = rng.uniform(min_side, max_side)
        w = h if kind < 2 else h * rng.uniform(0.8, 1.25)
        if w > max_side:
            w, h = max_side, h * max_side / w
        cy, cx = rng.uniform(h / 2, size - h / 2), rng.uniform(w / 2, size - w / 2)
        box = (cy - h / 2, cx - w / 2, cy + h / 2, cx + w / 2)
        cell = (int(cy / size * grid), int(cx / size * grid))
        if cell in cells or any(_box_iou(box, other) > max_iou for other in boxes):
            continue
        cells.add(cell)
        boxes.append(box)
        classes.append(kind)
        flips.append(bool(rng.random() < 0.5))
    return np.array(boxes, dtype=np.float64).reshape(-1, 4), np.array(classes, dtype=np.int64), flips


def make_shapes(n, size=48, seed=0, max_objects=3, min_side=10.0, max_side=22.0, grid=6, max_iou=0.2):
    """Draw n images of shapes and their ground-truth boxes.

    Arguments:
    n -- number of images
    size -- side of each (square) image, in pixels
    seed -- seed of numpy.random.default_rng: the same arguments give the same output
    max_objects -- each image holds between 1 and max_objects shapes
    min_side, max_side -- range of a shape's box height (and width), in pixels
    grid -- the centres of one image's shapes lie in distinct cells of a grid x grid partition
    max_iou -- two boxes of one image overlap with IoU at most this

    Returns:
    images -- (n, size, size, 3) float32 in [0, 1]
    truth -- dict of "boxes" (K, 4) float64 pixel corners (y1, x1, y2, x2), "classes" (K,) int64,
             "image_ids" (K,) int64, K the total number of shapes, grouped by image in order
    """
    rng = np.random.default_rng(seed)
    images = np.empty((n, size, size, 3), dtype=np.float32)
    all_boxes, all_classes, all_ids = [], [], []
    for i in range(n):
        img = _background(rng, size)
        boxes, classes, flips = _draw_boxes(rng, size, max_objects, min_side, max_side, grid, max_iou)
        for box, kind, flip in zip(boxes, classes, flips):
            colour = PALETTE[rng.integers(len(PALETTE))] * rng.uniform(0.8, 1.0)
            r0, c0, cover = _coverage(kind, box, size, flip)
            window = img[r0:r0 + cover.shape[0], c0:c0 + cover.shape[1]]
            window[...] = window * (1 - cover[..., None]) + colour * cover[..., None]
        images[i] = np.clip(img, 0.0, 1.0)
        all_boxes.append(boxes)
        all_classes.append(classes)
        all_ids.append(np.full(len(classes), i, dtype=np.int64))
    truth = {"boxes": np.concatenate(all_boxes), "classes": np.concatenate(all_classes),
             "image_ids": np.concatenate(all_ids)}
    return images, truth


def draw_boxes(ax, image, boxes, classes, scores=None, class_names=CLASS_NAMES, colours=("C1", "C2", "C0"),
               linestyle="-"):
    """Show `image` (n_H, n_W, 3) on matplotlib axes `ax` with boxes (k, 4) pixel corners (y1, x1, y2, x2),
    each labelled with its class name (classes (k,) int) and, when scores (k,) is given, its score."""
    import matplotlib.patches as patches
    if image is not None:
        ax.imshow(image, extent=(0, image.shape[1], image.shape[0], 0), interpolation="nearest")
    for j, (box, c) in enumerate(zip(np.asarray(boxes).reshape(-1, 4), np.asarray(classes).ravel())):
        y1, x1, y2, x2 = box
        colour = colours[int(c) % len(colours)]
        ax.add_patch(patches.Rectangle((x1, y1), x2 - x1, y2 - y1, fill=False, edgecolor=colour, lw=1.5,
                                       linestyle=linestyle))
        label = class_names[int(c)] + ("" if scores is None else f" {float(scores[j]):.2f}")
        ax.text(x1, y1 - 0.5, label, color="white", fontsize=7, va="bottom",
                bbox=dict(facecolor=colour, edgecolor="none", pad=0.8, alpha=0.85))
    ax.set_xticks([])
    ax.set_yticks([])
