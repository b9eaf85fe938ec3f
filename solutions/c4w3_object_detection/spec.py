"""Grading spec for c4w3_object_detection. Visible cases ship with the notebook; hidden draws stay here.

Boxes are corners (y1, x1, y2, x2); grids are (S, S, B, ...) with S, B and the number of classes C
varied, never square in the wrong places (w != h, image height != width). Ties are avoided: scores
are continuous draws, thresholds are pushed away from every score and every IoU (so `>` and `>=` give
the same answer, and only real mistakes show). Hidden cases are built to expose the catalogued
mistakes by construction (disjoint-in-both-axes and touching box pairs for iou; overlapping boxes of
different classes, suppression chains and a binding max_boxes for non_max_suppression; duplicates,
cross-image look-alikes, out-of-order scores and a taken best match for average_precision), and every
draw is then checked against small re-implementations of those mistakes below: a draw on which a
wrong variant gives the right answer is drawn again.
"""
import numpy as np

from grader.spec import Test

TITLE = "Object detection: from a grid of predictions to boxes, and mean average precision"
HELPERS = ["framework", "dnn_utils", "conv", "data", "shapes", "detector"]
DATA = ["detector_weights.npz"]

RTOL, ATOL = 1e-6, 1e-9
GAP = 1e-3          # thresholds stay at least this far from every score / IoU they are compared with


# ------------------------------------------------------------------ small references (for vetting draws)

def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _decode(g):
    S_H, S_W = g.shape[0], g.shape[1]
    x = (np.arange(S_W).reshape(1, S_W, 1) + _sigmoid(g[..., 0])) / S_W
    y = (np.arange(S_H).reshape(S_H, 1, 1) + _sigmoid(g[..., 1])) / S_H
    z = np.exp(g[..., 5:] - g[..., 5:].max(axis=-1, keepdims=True))
    return np.stack([x, y], -1), _sigmoid(g[..., 2:4]), _sigmoid(g[..., 4:5]), z / z.sum(-1, keepdims=True)


def _corners(xy, wh):
    return np.stack([xy[..., 1] - wh[..., 1] / 2, xy[..., 0] - wh[..., 0] / 2,
                     xy[..., 1] + wh[..., 1] / 2, xy[..., 0] + wh[..., 0] / 2], -1)


def _iou(a, b):
    dy = np.minimum(a[..., 2], b[..., 2]) - np.maximum(a[..., 0], b[..., 0])
    dx = np.minimum(a[..., 3], b[..., 3]) - np.maximum(a[..., 1], b[..., 1])
    inter = np.maximum(dy, 0) * np.maximum(dx, 0)
    area = lambda c: (c[..., 2] - c[..., 0]) * (c[..., 3] - c[..., 1])
    return inter / (area(a) + area(b) - inter)


def _nms(scores, boxes, classes, max_boxes, t, across=False, ascending=False, cap="total",
         chain=False, unsorted=False, reverse=False):
    """Reference NMS with switches for the catalogued mistakes; returns the kept indices."""
    keep = []
    groups = [np.arange(len(scores))] if across else [np.flatnonzero(classes == c) for c in np.unique(classes)]
    for idx in groups:
        idx = idx[np.argsort(scores[idx] if ascending else -scores[idx])]
        kept, removed = [], set()
        for a, i in enumerate(idx):
            if i in removed:
                if not chain:
                    continue
            else:
                kept.append(i)
            for j in idx[a + 1:]:
                o = _iou(boxes[i], boxes[j])
                if (o < t) if reverse else (o > t):
                    removed.add(j)
        if cap == "class":
            kept = kept[:max_boxes]
        keep += kept
    keep = np.array(keep, dtype=int)
    if cap == "before-sort":
        keep = keep[:max_boxes]
    if not unsorted:
        keep = keep[np.argsort(-scores[keep], kind="stable")]
    if cap == "total":
        keep = keep[:max_boxes]
    return keep


def _nms_variants(scores, boxes, classes, max_boxes, t):
    right = _nms(scores, boxes, classes, max_boxes, t)
    wrong = [_nms(scores, boxes, classes, max_boxes, t, across=True),
             _nms(scores, boxes, classes, max_boxes, t, ascending=True),
             _nms(scores, boxes, classes, max_boxes, t, cap=None),
             _nms(scores, boxes, classes, max_boxes, t, cap="class"),
             _nms(scores, boxes, classes, max_boxes, t, chain=True),
             _nms(scores, boxes, classes, max_boxes, t, cap="before-sort"),
             _nms(scores, boxes, classes, max_boxes, t, unsorted=True),
             _nms(scores, boxes, classes, max_boxes, t, reverse=True)]
    return right, wrong


def _same(a, b):
    return len(a) == len(b) and np.array_equal(a, b)


def _away(values, t):
    """True when no value is within GAP of the threshold t."""
    values = np.asarray(values, dtype=float).ravel()
    return values.size == 0 or np.min(np.abs(values - t)) > GAP


# ------------------------------------------------------------------ boxes_to_corners, scale_boxes

def _lead_shape(rng):
    if rng.random() < 0.5:
        return (int(rng.integers(2, 9)),)
    S = int(rng.integers(2, 6))
    return (S, S, int(rng.integers(1, 4)))


def _hidden_corners(rng):
    shape = _lead_shape(rng)
    xy = rng.uniform(0.05, 0.95, size=shape + (2,))
    wh = rng.uniform(0.05, 0.6, size=shape + (2,))
    wh[..., 1] *= rng.choice([0.6, 1.5], size=shape)          # w and h clearly different
    return {"box_xy": xy, "box_wh": wh}


def _hidden_scale(rng):
    shape = _lead_shape(rng)
    lo = rng.uniform(0, 0.6, size=shape + (2,))
    hi = lo + rng.uniform(0.05, 0.4, size=shape + (2,))
    boxes = np.concatenate([lo, hi], axis=-1)[..., [0, 1, 2, 3]]
    h, w = (int(v) for v in rng.choice(np.arange(16, 720), size=2, replace=False))
    return {"boxes": boxes, "image_shape": (h, w)}


# ------------------------------------------------------------------ filter_boxes

def _filter_variants(boxes, conf, probs, t):
    s = conf * probs
    best = s.max(-1)
    right = best >= t
    cls = s.argmax(-1)
    wrong_masks = [conf[..., 0] >= t,                      # score = confidence only
                   probs.max(-1) >= t,                     # score = class probability only
                   best < t]                               # keeps the boxes below the threshold
    many = (s >= t).sum()                                  # every (box, class) pair above the threshold
    return right, cls, wrong_masks, many


def _hidden_filter(rng):
    for _ in range(1000):
        S, B, C = int(rng.integers(2, 7)), int(rng.integers(1, 4)), int(rng.integers(2, 7))
        xy = rng.uniform(0, 1, size=(S, S, B, 2))
        boxes = _corners(xy, rng.uniform(0.05, 0.5, size=(S, S, B, 2)))
        conf = rng.uniform(0.05, 1.0, size=(S, S, B, 1))
        z = rng.normal(scale=rng.uniform(0.5, 2.5), size=(S, S, B, C))
        probs = np.exp(z) / np.exp(z).sum(-1, keepdims=True)
        scores = conf * probs
        best = scores.max(-1)
        # a threshold between the scores of two boxes, low enough that some box has two classes above it
        second = np.sort(scores, axis=-1)[..., -2]
        t = float(rng.uniform(np.quantile(best, 0.3), np.quantile(best, 0.8)))
        if not (second.max() > t + GAP and _away(scores, t) and _away(conf, t) and _away(probs, t)):
            continue
        right, cls, wrong, many = _filter_variants(boxes, conf, probs, t)
        if right.sum() >= 2 and all(not np.array_equal(w, right) for w in wrong) and many != right.sum():
            # also the variant "threshold on the confidence, report the product" must differ
            return {"boxes": boxes, "box_confidence": conf, "box_class_probs": probs, "threshold": t}
    raise RuntimeError("no suitable hidden case for filter_boxes")


# ------------------------------------------------------------------ iou

def _pair(rng, kind, a=None):
    """A box pair of the given kind: (a, b) with b built relative to a."""
    if a is None:
        y, x = rng.uniform(0, 10, size=2)
        a = np.array([y, x, y + rng.uniform(1, 4), x + rng.uniform(1, 4)])
    y1, x1, y2, x2 = a
    h, w = y2 - y1, x2 - x1
    bh, bw = rng.uniform(1, 4, size=2)
    if kind == "overlap":                    # partial overlap
        by, bx = y1 + rng.uniform(0.2, 0.7) * h, x1 - rng.uniform(0.2, 0.7) * bw
    elif kind == "disjoint2":                # apart along both axes (negative overlap on both)
        by, bx = y2 + rng.uniform(0.3, 2.0), x2 + rng.uniform(0.3, 2.0)
    elif kind == "disjoint1":                # apart along one axis only
        by, bx = y1 + rng.uniform(-0.5, 0.5) * h, x1 - bw - rng.uniform(0.3, 2.0)
    elif kind == "touching":                 # sharing an edge: intersection exactly 0
        by, bx = y2, x1 + rng.uniform(-0.5, 0.5) * w
    else:                                    # "inside": b strictly inside a
        bh, bw = h * rng.uniform(0.3, 0.8), w * rng.uniform(0.3, 0.8)
        by, bx = y1 + rng.uniform(0.05, 0.95) * (h - bh), x1 + rng.uniform(0.05, 0.95) * (w - bw)
    return a, np.array([by, bx, by + bh, bx + bw])


KINDS = ["overlap", "disjoint2", "disjoint1", "touching", "inside"]


def _hidden_iou(rng):
    kinds = KINDS + list(rng.choice(KINDS, size=int(rng.integers(1, 6))))
    kinds = [kinds[i] for i in rng.permutation(len(kinds))]
    if rng.random() < 0.5:                   # n pairs
        pairs = [_pair(rng, k) for k in kinds]
        box1, box2 = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    else:                                    # one box against n boxes (broadcasting)
        box1 = _pair(rng, "overlap")[0]
        box2 = np.array([_pair(rng, k, box1)[1] for k in kinds])
    return {"box1": box1, "box2": box2}


# ------------------------------------------------------------------ non_max_suppression

def _box_near(rng, box, target_iou):
    """A box whose IoU with `box` is close to target_iou (shifted along x, same size)."""
    h, w = box[2] - box[0], box[3] - box[1]
    shift = w * (1 - target_iou) / (1 + target_iou)        # same-size boxes shifted by s: IoU = (w-s)/(w+s)
    return box + np.array([0, shift, 0, shift]) + rng.normal(scale=0.01 * h, size=4) * np.array([1, 0, 1, 0])


def _hidden_nms(rng):
    for _ in range(1000):
        C = int(rng.integers(2, 5))
        t = float(rng.uniform(0.3, 0.6))
        scale = float(rng.uniform(1, 100))
        corner = lambda: np.tile(rng.uniform(0, 5, size=2), 2)
        # a chain in one class: A overlaps B, B overlaps C, A does not overlap C enough
        A = np.array([0.0, 0.0, 1.0, rng.uniform(0.8, 1.5)]) + corner()
        Bb = _box_near(rng, A, t + rng.uniform(0.1, 0.2))
        Cc = _box_near(rng, Bb, t + rng.uniform(0.1, 0.2))
        # a pair of one class (P beats Q), and a pair of two classes (D and E both stay)
        P = np.array([0.0, 0.0, rng.uniform(0.8, 1.5), 1.0]) + corner()
        Q = _box_near(rng, P, t + rng.uniform(0.1, 0.3))
        D = np.array([0.0, 0.0, rng.uniform(0.8, 1.5), 1.0]) + corner()
        E = _box_near(rng, D, t + rng.uniform(0.1, 0.3))
        # far from everything, of the smallest class, the lowest score: max_boxes must drop it
        lone = np.array([20.0, 20.0, 21.0, 21.5])
        c0, c3 = (int(v) for v in rng.integers(C, size=2))
        c1, c2 = (int(v) for v in rng.choice(C, size=2, replace=False))
        boxes = [A, Bb, Cc, P, Q, D, E, lone]
        classes = [c0, c0, c0, c3, c3, c1, c2, 0]
        planted = np.sort(rng.uniform(0.6, 1.0, size=3))[::-1]
        scores = list(planted) + list(rng.uniform(0.6, 1.0, size=4)) + [0.2]
        for _ in range(int(rng.integers(4, 12))):
            y, x = rng.uniform(0, 6, size=2)
            boxes.append(np.array([y, x, y + rng.uniform(0.5, 2), x + rng.uniform(0.5, 2)]))
            classes.append(int(rng.integers(C)))
            scores.append(rng.uniform(0.3, 1.0))
        boxes = np.array(boxes) * scale
        classes, scores = np.array(classes, dtype=np.int64), np.array(scores)
        n = len(boxes)
        perm = rng.permutation(n)
        boxes, classes, scores = boxes[perm], classes[perm], scores[perm]
        overlaps = _iou(boxes[:, None], boxes[None, :])
        if not _away(overlaps[np.triu_indices(n, 1)], t) or len(np.unique(scores)) < n:
            continue
        survivors = len(_nms(scores, boxes, classes, n + 1, t))
        max_boxes = survivors - int(rng.integers(1, 3))
        if max_boxes < 2:
            continue
        right, wrong = _nms_variants(scores, boxes, classes, max_boxes, t)
        if all(not _same(w, right) for w in wrong):
            return {"scores": scores, "boxes": boxes, "classes": classes, "max_boxes": max_boxes, "iou_threshold": t}
    raise RuntimeError("no suitable hidden case for non_max_suppression")


# ------------------------------------------------------------------ detect

def _detect_ref(g, image_shape, st, it, max_boxes, skip_nms=False, skip_scale=False, across=False,
                swap_shape=False, swap_args=False):
    xy, wh, conf, probs = _decode(g)
    boxes = _corners(wh, xy) if swap_args else _corners(xy, wh)
    s = conf * probs
    best, cls = s.max(-1), s.argmax(-1)
    mask = best >= st
    scores, boxes, cls = best[mask], boxes[mask], cls[mask]
    h, w = image_shape[::-1] if swap_shape else image_shape
    if not skip_scale:
        boxes = boxes * np.array([h, w, h, w])
    if skip_nms:
        return scores, boxes, cls
    keep = _nms(scores, boxes, cls, max_boxes, it, across=across)
    return scores[keep], boxes[keep], cls[keep]


def _hidden_detect(rng):
    for _ in range(1000):
        S, B, C = int(rng.integers(3, 8)), int(rng.integers(1, 4)), int(rng.integers(2, 6))
        g = np.concatenate([rng.normal(size=(S, S, B, 2)),
                            rng.normal(np.log(1.5 / (S - 1.5)), 0.5, size=(S, S, B, 2)),
                            rng.normal(0.0, 2.0, size=(S, S, B, 1)),
                            rng.normal(0.0, 2.0, size=(S, S, B, C))], axis=-1)
        h, w = (int(v) for v in rng.choice(np.arange(32, 640), size=2, replace=False))
        st, it = float(rng.uniform(0.15, 0.4)), float(rng.uniform(0.3, 0.6))
        xy, wh, conf, probs = _decode(g)
        scores = conf * probs
        boxes = _corners(xy, wh)[scores.max(-1) >= st]
        if not (_away(scores, st) and _away(scores, it)) or len(boxes) < 4:
            continue
        o = _iou(boxes[:, None], boxes[None, :])
        if not _away(o[np.triu_indices(len(boxes), 1)], it):
            continue
        survivors = len(_detect_ref(g, (h, w), st, it, 10 ** 6)[0])
        max_boxes = survivors - int(rng.integers(1, 3))
        if max_boxes < 2:
            continue
        right = _detect_ref(g, (h, w), st, it, max_boxes)
        wrong = [_detect_ref(g, (h, w), st, it, max_boxes, **kw) for kw in
                 (dict(skip_nms=True), dict(skip_scale=True), dict(across=True), dict(swap_shape=True),
                  dict(swap_args=True))]
        wrong.append(_detect_ref(g, (h, w), it, st, max_boxes))               # thresholds swapped
        if all(len(w_[0]) != len(right[0]) or not np.allclose(w_[1], right[1]) for w_ in wrong):
            return {"grid_output": g, "image_shape": (h, w), "score_threshold": st, "iou_threshold": it,
                    "max_boxes": max_boxes}
    raise RuntimeError("no suitable hidden case for detect")


# ------------------------------------------------------------------ average precision

def _ap_ref(det, gt, t=0.5, sort=True, duplicates=False, ignore_images=False, envelope=True, voc=False,
            recall_by_n=False, eleven=False, any_overlap=False):
    order = np.argsort(-det["scores"], kind="stable") if sort else np.arange(len(det["scores"]))
    matched = np.zeros(len(gt["boxes"]), dtype=bool)
    tp = np.zeros(len(order))
    for r, d in enumerate(order):
        same = np.ones(len(gt["boxes"]), bool) if ignore_images else gt["image_ids"] == det["image_ids"][d]
        pool = same if (duplicates or voc) else same & ~matched
        cand = np.flatnonzero(pool)
        if cand.size == 0:
            continue
        o = _iou(det["boxes"][d], gt["boxes"][cand])
        k = np.argmax(o)
        if (o[k] > 0) if any_overlap else (o[k] >= t):
            if voc and matched[cand[k]]:
                continue
            tp[r] = 1
            matched[cand[k]] = True
    cum = np.cumsum(tp)
    precision = cum / np.arange(1, len(tp) + 1)
    recall = cum / (len(tp) if recall_by_n else len(gt["boxes"]))
    if eleven:
        ap = np.mean([precision[recall >= r].max() if np.any(recall >= r) else 0.0 for r in np.linspace(0, 1, 11)])
        return float(ap), precision, recall
    env = np.maximum.accumulate(precision[::-1])[::-1] if envelope else precision
    return float(np.sum(np.diff(recall, prepend=0.0) * env)), precision, recall


AP_VARIANTS = [dict(sort=False), dict(duplicates=True), dict(ignore_images=True), dict(envelope=False),
               dict(voc=True), dict(recall_by_n=True), dict(eleven=True), dict(any_overlap=True)]


def _differs(a, b):
    return abs(a[0] - b[0]) > 1e-4 or len(a[1]) != len(b[1]) or not np.allclose(a[1], b[1]) or \
        not np.allclose(a[2], b[2])


def _jitter(rng, box, target_iou):
    """A box of about the same size as `box` whose IoU with it is about target_iou."""
    return _box_near(rng, box, target_iou)


def _one_class_case(rng, n_images, t):
    """Ground truth and detections of one class over n_images images, with the planted situations."""
    gt_boxes, gt_ids, boxes, scores, ids = [], [], [], [], []
    for img in range(n_images):
        for _ in range(int(rng.integers(1, 4))):
            y, x = rng.uniform(0, 40, size=2)
            g = np.array([y, x, y + rng.uniform(5, 15), x + rng.uniform(5, 15)])
            gt_boxes.append(g)
            gt_ids.append(img)
            r = rng.random()
            if r < 0.75:                                   # a good detection
                boxes.append(_jitter(rng, g, rng.uniform(t + 0.1, 0.95)))
                scores.append(rng.uniform(0, 1))
                ids.append(img)
                if rng.random() < 0.3:                      # and a duplicate of it
                    boxes.append(_jitter(rng, g, rng.uniform(t + 0.1, 0.9)))
                    scores.append(rng.uniform(0, 1))
                    ids.append(img)
            elif r < 0.9:                                  # a poorly placed detection
                boxes.append(_jitter(rng, g, rng.uniform(0.1, t - 0.1)))
                scores.append(rng.uniform(0, 1))
                ids.append(img)
    # a pair of close ground-truth boxes in image 0 whose second one is best matched by a taken box
    y, x = rng.uniform(0, 40, size=2)
    g1 = np.array([y, x, y + 10, x + 10])
    g2 = _box_near(rng, g1, 0.75)
    gt_boxes += [g1, g2]
    gt_ids += [0, 0]
    d1 = _box_near(rng, g1, 0.95)
    d2 = g1 + (g2 - g1) * 0.45
    top = rng.uniform(0.5, 1.0)
    boxes += [d1, d2]
    scores += [top, top * rng.uniform(0.5, 0.99)]
    ids += [0, 0]
    # a detection in image 1 placed on a ground-truth box of image 0 (a look-alike in the wrong image)
    boxes.append(gt_boxes[0] + rng.normal(scale=0.1, size=4))
    scores.append(rng.uniform(0.7, 1.0))
    ids.append(1 % n_images if n_images > 1 else 0)
    gt = {"boxes": np.array(gt_boxes), "image_ids": np.array(gt_ids, dtype=np.int64)}
    det = {"boxes": np.array(boxes), "scores": np.array(scores), "image_ids": np.array(ids, dtype=np.int64)}
    perm = rng.permutation(len(scores))
    det = {k: v[perm] for k, v in det.items()}
    return det, gt


def _hidden_ap(rng):
    for _ in range(1000):
        t = float(rng.choice([0.5, rng.uniform(0.3, 0.7)]))
        det, gt = _one_class_case(rng, int(rng.integers(2, 5)), t)
        o = _iou(det["boxes"][:, None], gt["boxes"][None, :])
        if not _away(o, t) or len(np.unique(det["scores"])) < len(det["scores"]):
            continue
        right = _ap_ref(det, gt, t)
        if 0.05 < right[0] < 0.98 and all(_differs(_ap_ref(det, gt, t, **kw), right) for kw in AP_VARIANTS):
            return {"detections": det, "ground_truth": gt, "iou_threshold": t}
    raise RuntimeError("no suitable hidden case for average_precision")


def _map_ref(det, gt, C, t, agnostic=False, det_only=False, gt_only=False, weighted=False):
    if agnostic:
        ap = _ap_ref(det, gt, t)[0]
        return ap, np.full(C, ap)
    aps, counts = np.zeros(C), np.zeros(C)
    for c in range(C):
        dc = {k: v[det["classes"] == c] if not gt_only else v for k, v in det.items()}
        gc = {k: v[gt["classes"] == c] if not det_only else v for k, v in gt.items()}
        aps[c] = _ap_ref(dc, gc, t)[0]
        counts[c] = np.sum(gt["classes"] == c)
    return (float(np.sum(aps * counts) / counts.sum()) if weighted else float(aps.mean())), aps


def _hidden_map(rng):
    for _ in range(1000):
        C = int(rng.integers(2, 5))
        t = float(rng.choice([0.5, rng.uniform(0.3, 0.7)]))
        n_images = int(rng.integers(2, 4))
        dets, gts = [], []
        for c in range(C):
            det, gt = _one_class_case(rng, n_images, t)
            det["classes"] = np.full(len(det["scores"]), c, dtype=np.int64)
            gt["classes"] = np.full(len(gt["boxes"]), c, dtype=np.int64)
            dets.append(det)
            gts.append(gt)
        # a detection of class 0 placed on a ground-truth box of class 1 (right place, wrong class)
        extra = {"boxes": gts[1]["boxes"][:1] + 0.05, "scores": np.array([rng.uniform(0.9, 1.0)]),
                 "image_ids": gts[1]["image_ids"][:1], "classes": np.array([0])}
        dets.append(extra)
        det = {k: np.concatenate([d[k] for d in dets]) for k in dets[0]}
        gt = {k: np.concatenate([g[k] for g in gts]) for k in gts[0]}
        perm = rng.permutation(len(det["scores"]))
        det = {k: v[perm] for k, v in det.items()}
        o = _iou(det["boxes"][:, None], gt["boxes"][None, :])
        if not _away(o, t) or len(np.unique(det["scores"])) < len(det["scores"]):
            continue
        right = _map_ref(det, gt, C, t)
        wrong = [_map_ref(det, gt, C, t, **kw) for kw in
                 (dict(agnostic=True), dict(det_only=True), dict(gt_only=True), dict(weighted=True))]
        if all(abs(w[0] - right[0]) > 1e-4 for w in wrong):
            return {"detections": det, "ground_truth": gt, "num_classes": C, "iou_threshold": t}
    raise RuntimeError("no suitable hidden case for mean_average_precision")


# ------------------------------------------------------------------ visible cases (fixed, shown to students)

def _visible_grid(seed, S, B, C):
    rng = np.random.default_rng(seed)
    return np.round(rng.normal(size=(S, S, B, 5 + C)), 2)


_V_RNG = np.random.default_rng(4)
_V_CONF = np.round(_V_RNG.uniform(0.1, 1.0, size=(3, 3, 2, 1)), 3)
_V_PROBS = _V_RNG.dirichlet(np.ones(4), size=(3, 3, 2)).round(3)
_V_BOXES = np.round(_corners(_V_RNG.uniform(0.1, 0.9, size=(3, 3, 2, 2)), _V_RNG.uniform(0.1, 0.4, size=(3, 3, 2, 2))), 3)

_V_NMS_BOXES = np.array([[10.0, 10.0, 30.0, 30.0],     # 0 circle, best
                         [12.0, 14.0, 32.0, 34.0],     # 1 circle, overlaps 0 -> suppressed
                         [11.0, 11.0, 29.0, 31.0],     # 2 square, overlaps 0 but another class -> kept
                         [40.0, 40.0, 60.0, 60.0],     # 3 circle, far away -> kept
                         [41.0, 52.0, 61.0, 72.0],     # 4 circle, overlaps 3 a little -> kept
                         [14.0, 17.0, 34.0, 37.0]])    # 5 circle, overlaps 1 (suppressed) but not 0 much -> kept
_V_NMS_SCORES = np.array([0.9, 0.8, 0.75, 0.6, 0.5, 0.55])
_V_NMS_CLASSES = np.array([0, 0, 1, 0, 0, 0])

_V_DET = {"boxes": np.array([[0.0, 0.0, 10.0, 10.0], [1.0, 1.0, 11.0, 11.0], [20.0, 20.0, 30.0, 30.0],
                             [0.0, 0.0, 10.0, 10.0], [50.0, 50.0, 60.0, 60.0], [21.0, 19.0, 31.0, 29.0]]),
          "scores": np.array([0.95, 0.9, 0.8, 0.7, 0.6, 0.4]),
          "image_ids": np.array([0, 0, 0, 1, 1, 1])}
_V_GT = {"boxes": np.array([[0.0, 0.0, 10.0, 10.0], [20.0, 20.0, 30.0, 30.0], [20.0, 20.0, 30.0, 30.0],
                            [50.0, 48.0, 60.0, 58.0]]),
         "image_ids": np.array([0, 0, 1, 1])}
_V_DET_C = dict(_V_DET, classes=np.array([0, 0, 0, 0, 1, 1]))
_V_GT_C = dict(_V_GT, classes=np.array([0, 1, 1, 1]))

TESTS = [
    Test("boxes_to_corners", points=1,
         visible=[{"box_xy": np.array([0.5, 0.4]), "box_wh": np.array([0.2, 0.3])},
                  {"box_xy": np.round(np.random.default_rng(1).uniform(0, 1, size=(2, 2, 1, 2)), 2),
                   "box_wh": np.round(np.random.default_rng(2).uniform(0.1, 0.5, size=(2, 2, 1, 2)), 2)}],
         hidden=_hidden_corners),
    Test("filter_boxes", points=2,
         visible=[{"boxes": _V_BOXES, "box_confidence": _V_CONF, "box_class_probs": _V_PROBS, "threshold": 0.3}],
         hidden=_hidden_filter),
    Test("iou", points=2,
         visible=[{"box1": np.array([2.0, 1.0, 4.0, 3.0]), "box2": np.array([1.0, 2.0, 3.0, 4.0])},
                  {"box1": np.array([0.0, 0.0, 1.0, 1.0]), "box2": np.array([2.0, 2.0, 3.0, 3.0])},
                  {"box1": np.array([0.0, 0.0, 1.0, 2.0]), "box2": np.array([1.0, 0.5, 2.0, 1.5])},
                  {"box1": np.array([1.0, 1.0, 3.0, 4.0]),
                   "box2": np.array([[1.0, 1.0, 3.0, 4.0], [2.0, 2.0, 5.0, 5.0], [3.5, 0.0, 6.0, 2.0]])}],
         hidden=_hidden_iou),
    Test("non_max_suppression", points=3,
         visible=[{"scores": _V_NMS_SCORES, "boxes": _V_NMS_BOXES, "classes": _V_NMS_CLASSES,
                   "max_boxes": 10, "iou_threshold": 0.5},
                  {"scores": _V_NMS_SCORES, "boxes": _V_NMS_BOXES, "classes": _V_NMS_CLASSES,
                   "max_boxes": 3, "iou_threshold": 0.5}],
         hidden=_hidden_nms),
    Test("scale_boxes", points=1,
         visible=[{"boxes": np.array([[0.1, 0.2, 0.5, 0.6], [0.0, 0.5, 1.0, 1.0]]), "image_shape": (48, 64)}],
         hidden=_hidden_scale),
    Test("detect", points=2,
         visible=[{"grid_output": _visible_grid(5, 3, 2, 2), "image_shape": (60, 90), "score_threshold": 0.3,
                   "iou_threshold": 0.4, "max_boxes": 5}],
         hidden=_hidden_detect),
    Test("average_precision", points=3,
         visible=[{"detections": _V_DET, "ground_truth": _V_GT, "iou_threshold": 0.5}],
         hidden=_hidden_ap),
    Test("mean_average_precision", points=1,
         visible=[{"detections": _V_DET_C, "ground_truth": _V_GT_C, "num_classes": 2, "iou_threshold": 0.5}],
         hidden=_hidden_map),
]
