"""Mistake catalogue for c4w3_object_detection: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite


# ------------------------------------------------------------------------------- boxes_to_corners

@mistake("boxes_to_corners", "does not halve the size: uses centre -/+ (w, h) instead of centre -/+ (w, h) / 2")
def boxes_to_corners(box_xy, box_wh):
    mins, maxes = box_xy - box_wh, box_xy + box_wh
    return np.stack([mins[..., 1], mins[..., 0], maxes[..., 1], maxes[..., 0]], axis=-1)


@mistake("boxes_to_corners", "returns the corners as (x1, y1, x2, y2) instead of (y1, x1, y2, x2)")
def boxes_to_corners(box_xy, box_wh):
    return np.concatenate([box_xy - box_wh / 2, box_xy + box_wh / 2], axis=-1)


@mistake("boxes_to_corners", "treats (x, y) as the top-left corner instead of the centre")
def boxes_to_corners(box_xy, box_wh):
    maxes = box_xy + box_wh
    return np.stack([box_xy[..., 1], box_xy[..., 0], maxes[..., 1], maxes[..., 0]], axis=-1)


@mistake("boxes_to_corners", "pairs y with w and x with h (width and height swapped)")
def boxes_to_corners(box_xy, box_wh):
    x, y, w, h = box_xy[..., 0], box_xy[..., 1], box_wh[..., 0], box_wh[..., 1]
    return np.stack([y - w / 2, x - h / 2, y + w / 2, x + h / 2], axis=-1)


@rewrite("boxes_to_corners", "flips (x, y) to (y, x) with [..., ::-1] and concatenates")
def boxes_to_corners(box_xy, box_wh):
    yx, hw = box_xy[..., ::-1], box_wh[..., ::-1]
    return np.concatenate([yx - 0.5 * hw, yx + 0.5 * hw], axis=-1)


@rewrite("boxes_to_corners", "fills an empty array column by column")
def boxes_to_corners(box_xy, box_wh):
    out = np.empty(box_xy.shape[:-1] + (4,))
    out[..., 0] = box_xy[..., 1] - box_wh[..., 1] / 2
    out[..., 1] = box_xy[..., 0] - box_wh[..., 0] / 2
    out[..., 2] = box_xy[..., 1] + box_wh[..., 1] / 2
    out[..., 3] = box_xy[..., 0] + box_wh[..., 0] / 2
    return out


# ----------------------------------------------------------------------------------- filter_boxes

@mistake("filter_boxes", "scores a box by its confidence p_o only, ignoring the class probability")
def filter_boxes(boxes, box_confidence, box_class_probs, threshold=0.5):
    scores = box_confidence[..., 0]
    mask = scores >= threshold
    return scores[mask], boxes[mask], np.argmax(box_class_probs, axis=-1)[mask]


@mistake("filter_boxes", "scores a box by its class probability only, ignoring the confidence p_o")
def filter_boxes(boxes, box_confidence, box_class_probs, threshold=0.5):
    scores = np.max(box_class_probs, axis=-1)
    mask = scores >= threshold
    return scores[mask], boxes[mask], np.argmax(box_class_probs, axis=-1)[mask]


@mistake("filter_boxes", "thresholds the confidence p_o instead of the score p_o * p_c")
def filter_boxes(boxes, box_confidence, box_class_probs, threshold=0.5):
    box_scores = box_confidence * box_class_probs
    mask = box_confidence[..., 0] >= threshold
    return np.max(box_scores, axis=-1)[mask], boxes[mask], np.argmax(box_scores, axis=-1)[mask]


@mistake("filter_boxes", "keeps every class scoring above the threshold, not only each box's best class")
def filter_boxes(boxes, box_confidence, box_class_probs, threshold=0.5):
    box_scores = box_confidence * box_class_probs
    cells, classes = np.nonzero(box_scores.reshape(-1, box_scores.shape[-1]) >= threshold)
    return box_scores.reshape(-1, box_scores.shape[-1])[cells, classes], boxes.reshape(-1, 4)[cells], classes


@mistake("filter_boxes", "keeps the boxes below the threshold (comparison the wrong way round)")
def filter_boxes(boxes, box_confidence, box_class_probs, threshold=0.5):
    box_scores = box_confidence * box_class_probs
    best = np.max(box_scores, axis=-1)
    mask = best < threshold
    return best[mask], boxes[mask], np.argmax(box_scores, axis=-1)[mask]


@rewrite("filter_boxes", "flattens the grid to rows and selects with np.flatnonzero")
def filter_boxes(boxes, box_confidence, box_class_probs, threshold=0.5):
    scores = (box_confidence * box_class_probs).reshape(-1, box_class_probs.shape[-1])
    best = scores.max(axis=1)
    rows = np.flatnonzero(best >= threshold)
    return best[rows], boxes.reshape(-1, 4)[rows], scores.argmax(axis=1)[rows]


@rewrite("filter_boxes", "loops over the cells and boxes with np.ndindex, using > (ties never happen)")
def filter_boxes(boxes, box_confidence, box_class_probs, threshold=0.5):
    scores, kept, classes = [], [], []
    for idx in np.ndindex(*boxes.shape[:-1]):
        s = box_confidence[idx][0] * box_class_probs[idx]
        if s.max() > threshold:
            scores.append(s.max())
            kept.append(boxes[idx])
            classes.append(int(s.argmax()))
    return np.array(scores), np.array(kept).reshape(-1, 4), np.array(classes, dtype=int)


# -------------------------------------------------------------------------------------------- iou

@mistake("iou", "does not clamp negative overlaps to 0, so boxes apart along both axes get a positive intersection")
def iou(box1, box2):
    dy = np.minimum(box1[..., 2], box2[..., 2]) - np.maximum(box1[..., 0], box2[..., 0])
    dx = np.minimum(box1[..., 3], box2[..., 3]) - np.maximum(box1[..., 1], box2[..., 1])
    inter = dy * dx
    a1 = (box1[..., 2] - box1[..., 0]) * (box1[..., 3] - box1[..., 1])
    a2 = (box2[..., 2] - box2[..., 0]) * (box2[..., 3] - box2[..., 1])
    return inter / (a1 + a2 - inter)


@mistake("iou", "clamps the product of the two sides instead of each side: two negative sides give a positive area")
def iou(box1, box2):
    dy = np.minimum(box1[..., 2], box2[..., 2]) - np.maximum(box1[..., 0], box2[..., 0])
    dx = np.minimum(box1[..., 3], box2[..., 3]) - np.maximum(box1[..., 1], box2[..., 1])
    inter = np.maximum(dy * dx, 0.0)
    a1 = (box1[..., 2] - box1[..., 0]) * (box1[..., 3] - box1[..., 1])
    a2 = (box2[..., 2] - box2[..., 0]) * (box2[..., 3] - box2[..., 1])
    return inter / (a1 + a2 - inter)


@mistake("iou", "does not subtract the intersection from the union (area1 + area2 only)")
def iou(box1, box2):
    dy = np.minimum(box1[..., 2], box2[..., 2]) - np.maximum(box1[..., 0], box2[..., 0])
    dx = np.minimum(box1[..., 3], box2[..., 3]) - np.maximum(box1[..., 1], box2[..., 1])
    inter = np.maximum(dy, 0.0) * np.maximum(dx, 0.0)
    a1 = (box1[..., 2] - box1[..., 0]) * (box1[..., 3] - box1[..., 1])
    a2 = (box2[..., 2] - box2[..., 0]) * (box2[..., 3] - box2[..., 1])
    return inter / (a1 + a2)


@mistake("iou", "adds 1 to every side length (the integer-pixel convention), so touching boxes overlap")
def iou(box1, box2):
    dy = np.minimum(box1[..., 2], box2[..., 2]) - np.maximum(box1[..., 0], box2[..., 0]) + 1
    dx = np.minimum(box1[..., 3], box2[..., 3]) - np.maximum(box1[..., 1], box2[..., 1]) + 1
    inter = np.maximum(dy, 0.0) * np.maximum(dx, 0.0)
    a1 = (box1[..., 2] - box1[..., 0] + 1) * (box1[..., 3] - box1[..., 1] + 1)
    a2 = (box2[..., 2] - box2[..., 0] + 1) * (box2[..., 3] - box2[..., 1] + 1)
    return inter / (a1 + a2 - inter)


@mistake("iou", "divides the intersection by the area of box1 only, not by the union")
def iou(box1, box2):
    dy = np.minimum(box1[..., 2], box2[..., 2]) - np.maximum(box1[..., 0], box2[..., 0])
    dx = np.minimum(box1[..., 3], box2[..., 3]) - np.maximum(box1[..., 1], box2[..., 1])
    inter = np.maximum(dy, 0.0) * np.maximum(dx, 0.0)
    return inter / ((box1[..., 2] - box1[..., 0]) * (box1[..., 3] - box1[..., 1]))


@rewrite("iou", "clips the sides with np.clip and unpacks the corners with np.moveaxis")
def iou(box1, box2):
    y1a, x1a, y2a, x2a = np.moveaxis(np.asarray(box1, dtype=float), -1, 0)
    y1b, x1b, y2b, x2b = np.moveaxis(np.asarray(box2, dtype=float), -1, 0)
    inter = np.clip(np.minimum(y2a, y2b) - np.maximum(y1a, y1b), 0, None) * \
        np.clip(np.minimum(x2a, x2b) - np.maximum(x1a, x1b), 0, None)
    return inter / ((y2a - y1a) * (x2a - x1a) + (y2b - y1b) * (x2b - x1b) - inter)


@rewrite("iou", "loops over the broadcast pairs with Python's max and min")
def iou(box1, box2):
    b1, b2 = np.broadcast_arrays(np.asarray(box1, dtype=float), np.asarray(box2, dtype=float))
    out = np.empty(b1.shape[:-1])
    for idx in np.ndindex(*out.shape):
        a, b = b1[idx], b2[idx]
        inter = max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
        union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
        out[idx] = inter / union
    return out if out.ndim else np.float64(out)


# ---------------------------------------------------------------------------- non_max_suppression

@mistake("non_max_suppression", "suppresses across classes: a box of one class removes overlapping boxes of other classes")
def non_max_suppression(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    keep = []
    remaining = np.argsort(-scores)
    while remaining.size > 0:
        keep.append(remaining[0])
        remaining = remaining[1:][iou(boxes[remaining[0]], boxes[remaining[1:]]) <= iou_threshold]
    keep = np.array(keep[:max_boxes], dtype=int)
    return scores[keep], boxes[keep], classes[keep]


@mistake("non_max_suppression", "processes the boxes from the lowest score up, so it keeps the weaker of two overlapping boxes")
def non_max_suppression(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    keep = []
    for c in np.unique(classes):
        members = np.flatnonzero(classes == c)
        remaining = members[np.argsort(scores[members])]
        while remaining.size > 0:
            keep.append(remaining[0])
            remaining = remaining[1:][iou(boxes[remaining[0]], boxes[remaining[1:]]) <= iou_threshold]
    keep = np.array(keep, dtype=int)
    keep = keep[np.argsort(-scores[keep])][:max_boxes]
    return scores[keep], boxes[keep], classes[keep]


@mistake("non_max_suppression", "ignores max_boxes (returns every box that survives)")
def non_max_suppression(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    keep = []
    for c in np.unique(classes):
        members = np.flatnonzero(classes == c)
        remaining = members[np.argsort(-scores[members])]
        while remaining.size > 0:
            keep.append(remaining[0])
            remaining = remaining[1:][iou(boxes[remaining[0]], boxes[remaining[1:]]) <= iou_threshold]
    keep = np.array(keep, dtype=int)
    keep = keep[np.argsort(-scores[keep])]
    return scores[keep], boxes[keep], classes[keep]


@mistake("non_max_suppression", "applies max_boxes to each class instead of to the total")
def non_max_suppression(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    keep = []
    for c in np.unique(classes):
        members = np.flatnonzero(classes == c)
        remaining = members[np.argsort(-scores[members])]
        kept_c = []
        while remaining.size > 0:
            kept_c.append(remaining[0])
            remaining = remaining[1:][iou(boxes[remaining[0]], boxes[remaining[1:]]) <= iou_threshold]
        keep += kept_c[:max_boxes]
    keep = np.array(keep, dtype=int)
    keep = keep[np.argsort(-scores[keep])]
    return scores[keep], boxes[keep], classes[keep]


@mistake("non_max_suppression", "lets a removed box remove others too (compares every pair, not only with kept boxes)")
def non_max_suppression(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    keep = []
    for c in np.unique(classes):
        members = np.flatnonzero(classes == c)
        order = members[np.argsort(-scores[members])]
        removed = set()
        for a, i in enumerate(order):
            if i not in removed:
                keep.append(i)
            for j in order[a + 1:]:
                if iou(boxes[i], boxes[j]) > iou_threshold:
                    removed.add(j)
    keep = np.array(keep, dtype=int)
    keep = keep[np.argsort(-scores[keep])][:max_boxes]
    return scores[keep], boxes[keep], classes[keep]


@mistake("non_max_suppression", "cuts to max_boxes before sorting the kept boxes by score (keeps the first classes' boxes)")
def non_max_suppression(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    keep = []
    for c in np.unique(classes):
        members = np.flatnonzero(classes == c)
        remaining = members[np.argsort(-scores[members])]
        while remaining.size > 0:
            keep.append(remaining[0])
            remaining = remaining[1:][iou(boxes[remaining[0]], boxes[remaining[1:]]) <= iou_threshold]
    keep = np.array(keep[:max_boxes], dtype=int)
    keep = keep[np.argsort(-scores[keep])]
    return scores[keep], boxes[keep], classes[keep]


@mistake("non_max_suppression", "returns the boxes grouped by class, not sorted by decreasing score")
def non_max_suppression(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    keep = []
    for c in np.unique(classes):
        members = np.flatnonzero(classes == c)
        remaining = members[np.argsort(-scores[members])]
        while remaining.size > 0:
            keep.append(remaining[0])
            remaining = remaining[1:][iou(boxes[remaining[0]], boxes[remaining[1:]]) <= iou_threshold]
    keep = np.array(keep, dtype=int)
    keep = keep[np.isin(keep, keep[np.argsort(-scores[keep])][:max_boxes])]
    return scores[keep], boxes[keep], classes[keep]


@mistake("non_max_suppression", "removes the boxes whose IoU is below the threshold instead of above it")
def non_max_suppression(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    keep = []
    for c in np.unique(classes):
        members = np.flatnonzero(classes == c)
        remaining = members[np.argsort(-scores[members])]
        while remaining.size > 0:
            keep.append(remaining[0])
            remaining = remaining[1:][iou(boxes[remaining[0]], boxes[remaining[1:]]) > iou_threshold]
    keep = np.array(keep, dtype=int)
    keep = keep[np.argsort(-scores[keep])][:max_boxes]
    return scores[keep], boxes[keep], classes[keep]


@rewrite("non_max_suppression", "one pass over all boxes best first, suppressing only against kept boxes of the same class")
def non_max_suppression(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    keep = []
    for i in np.argsort(-scores):
        if len(keep) == max_boxes:
            break
        same = [k for k in keep if classes[k] == classes[i]]
        if all(iou(boxes[i], boxes[k]) <= iou_threshold for k in same):
            keep.append(i)
    keep = np.array(keep, dtype=int)
    return scores[keep], boxes[keep], classes[keep]


@rewrite("non_max_suppression", "builds a boolean 'alive' mask per class from a full IoU matrix")
def non_max_suppression(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    kept = []
    for c in np.unique(classes):
        idx = np.flatnonzero(classes == c)
        idx = idx[np.argsort(-scores[idx])]
        overlaps = iou(boxes[idx][:, None, :], boxes[idx][None, :, :])
        alive = np.ones(len(idx), dtype=bool)
        for a in range(len(idx)):
            if alive[a]:
                kept.append(idx[a])
                alive[a + 1:] &= overlaps[a, a + 1:] <= iou_threshold
    kept = sorted(kept, key=lambda k: -scores[k])[:max_boxes]
    kept = np.array(kept, dtype=int)
    return scores[kept], boxes[kept], classes[kept]


# ------------------------------------------------------------------------------------ scale_boxes

@mistake("scale_boxes", "swaps height and width: multiplies y by the width and x by the height")
def scale_boxes(boxes, image_shape):
    height, width = image_shape
    return boxes * np.array([width, height, width, height], dtype=float)


@mistake("scale_boxes", "orders the factors (height, height, width, width), as if corners were (y1, y2, x1, x2)")
def scale_boxes(boxes, image_shape):
    height, width = image_shape
    return boxes * np.array([height, height, width, width], dtype=float)


@mistake("scale_boxes", "multiplies every coordinate by the height only")
def scale_boxes(boxes, image_shape):
    return boxes * float(image_shape[0])


@mistake("scale_boxes", "divides by the image size instead of multiplying")
def scale_boxes(boxes, image_shape):
    height, width = image_shape
    return boxes / np.array([height, width, height, width], dtype=float)


@rewrite("scale_boxes", "tiles the shape with np.tile")
def scale_boxes(boxes, image_shape):
    return boxes * np.tile(np.asarray(image_shape, dtype=float), 2)


@rewrite("scale_boxes", "scales the y columns and the x columns separately")
def scale_boxes(boxes, image_shape):
    out = np.array(boxes, dtype=float)
    out[..., 0::2] *= image_shape[0]
    out[..., 1::2] *= image_shape[1]
    return out


# ----------------------------------------------------------------------------------------- detect

@mistake("detect", "skips non-max suppression")
def detect(grid_output, image_shape=(48, 48), score_threshold=0.5, iou_threshold=0.4, max_boxes=10):
    box_xy, box_wh, box_confidence, box_class_probs = decode_grid(grid_output)
    boxes = boxes_to_corners(box_xy, box_wh)
    scores, boxes, classes = filter_boxes(boxes, box_confidence, box_class_probs, score_threshold)
    return scores, scale_boxes(boxes, image_shape), classes


@mistake("detect", "forgets to scale the boxes to the image (returns fractions of the image)")
def detect(grid_output, image_shape=(48, 48), score_threshold=0.5, iou_threshold=0.4, max_boxes=10):
    box_xy, box_wh, box_confidence, box_class_probs = decode_grid(grid_output)
    boxes = boxes_to_corners(box_xy, box_wh)
    scores, boxes, classes = filter_boxes(boxes, box_confidence, box_class_probs, score_threshold)
    return non_max_suppression(scores, boxes, classes, max_boxes, iou_threshold)


@mistake("detect", "passes image_shape as (width, height) to scale_boxes")
def detect(grid_output, image_shape=(48, 48), score_threshold=0.5, iou_threshold=0.4, max_boxes=10):
    box_xy, box_wh, box_confidence, box_class_probs = decode_grid(grid_output)
    boxes = boxes_to_corners(box_xy, box_wh)
    scores, boxes, classes = filter_boxes(boxes, box_confidence, box_class_probs, score_threshold)
    boxes = scale_boxes(boxes, (image_shape[1], image_shape[0]))
    return non_max_suppression(scores, boxes, classes, max_boxes, iou_threshold)


@mistake("detect", "swaps the two thresholds (filters with iou_threshold, suppresses with score_threshold)")
def detect(grid_output, image_shape=(48, 48), score_threshold=0.5, iou_threshold=0.4, max_boxes=10):
    box_xy, box_wh, box_confidence, box_class_probs = decode_grid(grid_output)
    boxes = boxes_to_corners(box_xy, box_wh)
    scores, boxes, classes = filter_boxes(boxes, box_confidence, box_class_probs, iou_threshold)
    boxes = scale_boxes(boxes, image_shape)
    return non_max_suppression(scores, boxes, classes, max_boxes, score_threshold)


@mistake("detect", "passes box_wh and box_xy to boxes_to_corners in the wrong order")
def detect(grid_output, image_shape=(48, 48), score_threshold=0.5, iou_threshold=0.4, max_boxes=10):
    box_xy, box_wh, box_confidence, box_class_probs = decode_grid(grid_output)
    boxes = boxes_to_corners(box_wh, box_xy)
    scores, boxes, classes = filter_boxes(boxes, box_confidence, box_class_probs, score_threshold)
    boxes = scale_boxes(boxes, image_shape)
    return non_max_suppression(scores, boxes, classes, max_boxes, iou_threshold)


@rewrite("detect", "suppresses first, in fractions of the image, and scales the final boxes (IoU does not change)")
def detect(grid_output, image_shape=(48, 48), score_threshold=0.5, iou_threshold=0.4, max_boxes=10):
    box_xy, box_wh, box_confidence, box_class_probs = decode_grid(grid_output)
    scores, boxes, classes = filter_boxes(boxes_to_corners(box_xy, box_wh), box_confidence, box_class_probs,
                                          score_threshold)
    scores, boxes, classes = non_max_suppression(scores, boxes, classes, max_boxes, iou_threshold)
    return scores, scale_boxes(boxes, image_shape), classes


# ------------------------------------------------------------------------------ average_precision

@mistake("average_precision", "does not sort the detections by score before matching them")
def average_precision(detections, ground_truth, iou_threshold=0.5):
    gt_boxes, gt_ids = ground_truth["boxes"], ground_truth["image_ids"]
    matched = np.zeros(len(gt_boxes), dtype=bool)
    tp = np.zeros(len(detections["scores"]))
    for d in range(len(tp)):
        cand = np.flatnonzero((gt_ids == detections["image_ids"][d]) & ~matched)
        if cand.size:
            o = iou(detections["boxes"][d], gt_boxes[cand])
            if o.max() >= iou_threshold:
                tp[d] = 1.0
                matched[cand[np.argmax(o)]] = True
    cum = np.cumsum(tp)
    precision, recall = cum / np.arange(1, len(tp) + 1), cum / len(gt_boxes)
    env = np.maximum.accumulate(precision[::-1])[::-1]
    return float(np.sum(np.diff(recall, prepend=0.0) * env)), precision, recall


@mistake("average_precision", "counts duplicate detections of an already matched object as true positives")
def average_precision(detections, ground_truth, iou_threshold=0.5):
    gt_boxes, gt_ids = ground_truth["boxes"], ground_truth["image_ids"]
    order = np.argsort(-detections["scores"])
    tp = np.zeros(len(order))
    for rank, d in enumerate(order):
        cand = np.flatnonzero(gt_ids == detections["image_ids"][d])
        if cand.size and iou(detections["boxes"][d], gt_boxes[cand]).max() >= iou_threshold:
            tp[rank] = 1.0
    cum = np.cumsum(tp)
    precision, recall = cum / np.arange(1, len(tp) + 1), cum / len(gt_boxes)
    env = np.maximum.accumulate(precision[::-1])[::-1]
    return float(np.sum(np.diff(recall, prepend=0.0) * env)), precision, recall


@mistake("average_precision", "matches detections with ground-truth boxes of any image, not only of their own image")
def average_precision(detections, ground_truth, iou_threshold=0.5):
    gt_boxes = ground_truth["boxes"]
    order = np.argsort(-detections["scores"])
    matched = np.zeros(len(gt_boxes), dtype=bool)
    tp = np.zeros(len(order))
    for rank, d in enumerate(order):
        cand = np.flatnonzero(~matched)
        if cand.size:
            o = iou(detections["boxes"][d], gt_boxes[cand])
            if o.max() >= iou_threshold:
                tp[rank] = 1.0
                matched[cand[np.argmax(o)]] = True
    cum = np.cumsum(tp)
    precision, recall = cum / np.arange(1, len(tp) + 1), cum / len(gt_boxes)
    env = np.maximum.accumulate(precision[::-1])[::-1]
    return float(np.sum(np.diff(recall, prepend=0.0) * env)), precision, recall


@mistake("average_precision", "sums recall steps times the raw precision, without the interpolation (running maximum from the right)")
def average_precision(detections, ground_truth, iou_threshold=0.5):
    gt_boxes, gt_ids = ground_truth["boxes"], ground_truth["image_ids"]
    order = np.argsort(-detections["scores"])
    matched = np.zeros(len(gt_boxes), dtype=bool)
    tp = np.zeros(len(order))
    for rank, d in enumerate(order):
        cand = np.flatnonzero((gt_ids == detections["image_ids"][d]) & ~matched)
        if cand.size:
            o = iou(detections["boxes"][d], gt_boxes[cand])
            if o.max() >= iou_threshold:
                tp[rank] = 1.0
                matched[cand[np.argmax(o)]] = True
    cum = np.cumsum(tp)
    precision, recall = cum / np.arange(1, len(tp) + 1), cum / len(gt_boxes)
    return float(np.sum(np.diff(recall, prepend=0.0) * precision)), precision, recall


@mistake("average_precision", "uses the 11-point interpolation instead of the all-point one")
def average_precision(detections, ground_truth, iou_threshold=0.5):
    gt_boxes, gt_ids = ground_truth["boxes"], ground_truth["image_ids"]
    order = np.argsort(-detections["scores"])
    matched = np.zeros(len(gt_boxes), dtype=bool)
    tp = np.zeros(len(order))
    for rank, d in enumerate(order):
        cand = np.flatnonzero((gt_ids == detections["image_ids"][d]) & ~matched)
        if cand.size:
            o = iou(detections["boxes"][d], gt_boxes[cand])
            if o.max() >= iou_threshold:
                tp[rank] = 1.0
                matched[cand[np.argmax(o)]] = True
    cum = np.cumsum(tp)
    precision, recall = cum / np.arange(1, len(tp) + 1), cum / len(gt_boxes)
    ap = np.mean([precision[recall >= r].max() if np.any(recall >= r) else 0.0 for r in np.linspace(0, 1, 11)])
    return float(ap), precision, recall


@mistake("average_precision", "divides the true positives by the number of detections for the recall, not by the number of ground-truth boxes")
def average_precision(detections, ground_truth, iou_threshold=0.5):
    gt_boxes, gt_ids = ground_truth["boxes"], ground_truth["image_ids"]
    order = np.argsort(-detections["scores"])
    matched = np.zeros(len(gt_boxes), dtype=bool)
    tp = np.zeros(len(order))
    for rank, d in enumerate(order):
        cand = np.flatnonzero((gt_ids == detections["image_ids"][d]) & ~matched)
        if cand.size:
            o = iou(detections["boxes"][d], gt_boxes[cand])
            if o.max() >= iou_threshold:
                tp[rank] = 1.0
                matched[cand[np.argmax(o)]] = True
    cum = np.cumsum(tp)
    precision, recall = cum / np.arange(1, len(tp) + 1), cum / len(tp)
    env = np.maximum.accumulate(precision[::-1])[::-1]
    return float(np.sum(np.diff(recall, prepend=0.0) * env)), precision, recall


@mistake("average_precision", "matches a detection only with its best-overlapping box, and counts it false when that box is taken")
def average_precision(detections, ground_truth, iou_threshold=0.5):
    gt_boxes, gt_ids = ground_truth["boxes"], ground_truth["image_ids"]
    order = np.argsort(-detections["scores"])
    matched = np.zeros(len(gt_boxes), dtype=bool)
    tp = np.zeros(len(order))
    for rank, d in enumerate(order):
        cand = np.flatnonzero(gt_ids == detections["image_ids"][d])
        if cand.size:
            o = iou(detections["boxes"][d], gt_boxes[cand])
            best = cand[np.argmax(o)]
            if o.max() >= iou_threshold and not matched[best]:
                tp[rank] = 1.0
                matched[best] = True
    cum = np.cumsum(tp)
    precision, recall = cum / np.arange(1, len(tp) + 1), cum / len(gt_boxes)
    env = np.maximum.accumulate(precision[::-1])[::-1]
    return float(np.sum(np.diff(recall, prepend=0.0) * env)), precision, recall


@mistake("average_precision", "counts a detection as a true positive whenever it overlaps a box at all, ignoring iou_threshold")
def average_precision(detections, ground_truth, iou_threshold=0.5):
    gt_boxes, gt_ids = ground_truth["boxes"], ground_truth["image_ids"]
    order = np.argsort(-detections["scores"])
    matched = np.zeros(len(gt_boxes), dtype=bool)
    tp = np.zeros(len(order))
    for rank, d in enumerate(order):
        cand = np.flatnonzero((gt_ids == detections["image_ids"][d]) & ~matched)
        if cand.size:
            o = iou(detections["boxes"][d], gt_boxes[cand])
            if o.max() > 0:
                tp[rank] = 1.0
                matched[cand[np.argmax(o)]] = True
    cum = np.cumsum(tp)
    precision, recall = cum / np.arange(1, len(tp) + 1), cum / len(gt_boxes)
    env = np.maximum.accumulate(precision[::-1])[::-1]
    return float(np.sum(np.diff(recall, prepend=0.0) * env)), precision, recall


@rewrite("average_precision", "VOC-style sentinels: pads recall with 0 and 1, precision with 0 and 0, sums where recall changes")
def average_precision(detections, ground_truth, iou_threshold=0.5):
    gt_boxes, gt_ids = ground_truth["boxes"], ground_truth["image_ids"]
    order = np.argsort(-detections["scores"], kind="stable")
    taken = set()
    hits = []
    for d in order:
        best, best_iou = None, -1.0
        for g in range(len(gt_boxes)):
            if gt_ids[g] != detections["image_ids"][d] or g in taken:
                continue
            o = float(iou(detections["boxes"][d], gt_boxes[g]))
            if o > best_iou:
                best, best_iou = g, o
        hit = best is not None and best_iou >= iou_threshold
        if hit:
            taken.add(best)
        hits.append(hit)
    tp = np.cumsum(hits, dtype=float)
    fp = np.cumsum(np.logical_not(hits), dtype=float)
    recall = tp / len(gt_boxes)
    precision = tp / np.maximum(tp + fp, np.finfo(np.float64).eps)
    mrec = np.concatenate([[0.0], recall, [1.0]])
    mpre = np.concatenate([[0.0], precision, [0.0]])
    for i in range(len(mpre) - 2, -1, -1):
        mpre[i] = max(mpre[i], mpre[i + 1])
    i = np.flatnonzero(mrec[1:] != mrec[:-1])
    return float(np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1])), precision, recall


# ------------------------------------------------------------------------- mean_average_precision

@mistake("mean_average_precision", "ignores the classes: one AP over all detections and all ground-truth boxes")
def mean_average_precision(detections, ground_truth, num_classes, iou_threshold=0.5):
    ap = average_precision(detections, ground_truth, iou_threshold)[0]
    return ap, np.full(num_classes, ap)


@mistake("mean_average_precision", "selects the detections of each class but compares them with the ground truth of every class")
def mean_average_precision(detections, ground_truth, num_classes, iou_threshold=0.5):
    aps = np.array([average_precision({k: v[detections["classes"] == c] for k, v in detections.items()},
                                      ground_truth, iou_threshold)[0] for c in range(num_classes)])
    return float(aps.mean()), aps


@mistake("mean_average_precision", "selects the ground truth of each class but keeps the detections of every class")
def mean_average_precision(detections, ground_truth, num_classes, iou_threshold=0.5):
    aps = np.array([average_precision(detections, {k: v[ground_truth["classes"] == c] for k, v in ground_truth.items()},
                                      iou_threshold)[0] for c in range(num_classes)])
    return float(aps.mean()), aps


@mistake("mean_average_precision", "weights each class's AP by its number of ground-truth boxes instead of a plain mean")
def mean_average_precision(detections, ground_truth, num_classes, iou_threshold=0.5):
    aps, counts = np.zeros(num_classes), np.zeros(num_classes)
    for c in range(num_classes):
        det_c = {k: v[detections["classes"] == c] for k, v in detections.items()}
        gt_c = {k: v[ground_truth["classes"] == c] for k, v in ground_truth.items()}
        aps[c] = average_precision(det_c, gt_c, iou_threshold)[0]
        counts[c] = len(gt_c["boxes"])
    return float(np.sum(aps * counts) / np.sum(counts)), aps


@rewrite("mean_average_precision", "a list comprehension over the classes with np.flatnonzero indices")
def mean_average_precision(detections, ground_truth, num_classes, iou_threshold=0.5):
    def pick(d, c):
        idx = np.flatnonzero(d["classes"] == c)
        return {k: v[idx] for k, v in d.items()}
    aps = np.array([average_precision(pick(detections, c), pick(ground_truth, c), iou_threshold)[0]
                    for c in range(num_classes)])
    return float(np.sum(aps) / num_classes), aps
