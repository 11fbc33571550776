#!/usr/bin/python3
"""
Trains the scikit-learn fixtures of "bring your own model" on the CPS data and
writes them as ai.onnx.ml graphs with python3-onnx's helpers (skl2onnx is not
available in Debian), the way skl2onnx lays them out:

  cps-gbt.onnx            GradientBoostingClassifier -> TreeEnsembleClassifier (binary, LOGISTIC)
  cps-gbt-zipmap.onnx     the same, probabilities through ZipMap (one map per row)
  cps-logreg.onnx         LogisticRegression -> LinearClassifier (two classes, LOGISTIC)
  cps-logreg-zipmap.onnx  the same with ZipMap

Every model reads `float_input` [N, features] and has two outputs,
`output_label` (int64 [N]) and `output_probability` (float [N, 2], or a
sequence of maps int64 -> float with ZipMap).

Run by scripts/user-models/build-fixtures.ts with Debian's interpreter:
  /usr/bin/python3 scripts/user-models/sklearn_fixtures.py TRAIN.csv ROWS.csv OUT_DIR
TRAIN.csv and ROWS.csv hold the feature columns then the label column (header
row first). Writes the four models and sklearn.json: each model's
predict_proba on ROWS.csv, so the build can check onnxruntime against
scikit-learn itself.
"""
import json
import sys

import numpy as np
import onnx
import sklearn
from onnx import TensorProto, helper
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

ML_DOMAIN = "ai.onnx.ml"
OPSETS = [helper.make_opsetid("", 15), helper.make_opsetid(ML_DOMAIN, 3)]
PRODUCER = "inference-lab fixtures (scikit-learn %s, python3-onnx %s)" % (sklearn.__version__, onnx.__version__)
GBT = dict(n_estimators=40, max_depth=3, learning_rate=0.1, random_state=0)
LOGREG = dict(max_iter=5000)


def read_table(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
    return header[:-1], data[:, :-1].astype(np.float32), data[:, -1].astype(np.int64)


def io(features, zipmap):
    inputs = [helper.make_tensor_value_info("float_input", TensorProto.FLOAT, ["N", features])]
    label = helper.make_tensor_value_info("output_label", TensorProto.INT64, ["N"])
    if zipmap:
        entry = onnx.TypeProto()
        entry.map_type.key_type = TensorProto.INT64
        entry.map_type.value_type.CopyFrom(helper.make_tensor_type_proto(TensorProto.FLOAT, []))
        probability = helper.make_value_info("output_probability", helper.make_sequence_type_proto(entry))
    else:
        probability = helper.make_tensor_value_info("output_probability", TensorProto.FLOAT, ["N", 2])
    return inputs, [label, probability]


def model(name, classifier_node, features, zipmap, doc):
    nodes = [classifier_node]
    if zipmap:
        classifier_node.output[1] = "probabilities"
        nodes.append(helper.make_node("ZipMap", ["probabilities"], ["output_probability"], name="ZipMap", domain=ML_DOMAIN, classlabels_int64s=[0, 1]))
    inputs, outputs = io(features, zipmap)
    graph = helper.make_graph(nodes, name, inputs, outputs)
    m = helper.make_model(graph, opset_imports=OPSETS, producer_name=PRODUCER, producer_version="1", doc_string=doc)
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


def gbt_node(gbt):
    """TreeEnsembleClassifier with skl2onnx's binary layout: one score column, base value = the prior log-odds."""
    attrs = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_values", "nodes_modes",
                             "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true", "nodes_hitrates",
                             "class_treeids", "class_nodeids", "class_ids", "class_weights"]}
    for tree_id, estimator in enumerate(gbt.estimators_[:, 0]):
        tree = estimator.tree_
        for node_id in range(tree.node_count):
            leaf = tree.children_left[node_id] == -1
            attrs["nodes_treeids"].append(tree_id)
            attrs["nodes_nodeids"].append(node_id)
            attrs["nodes_featureids"].append(0 if leaf else int(tree.feature[node_id]))
            attrs["nodes_values"].append(0.0 if leaf else float(np.float32(tree.threshold[node_id])))
            attrs["nodes_modes"].append("LEAF" if leaf else "BRANCH_LEQ")
            attrs["nodes_truenodeids"].append(0 if leaf else int(tree.children_left[node_id]))
            attrs["nodes_falsenodeids"].append(0 if leaf else int(tree.children_right[node_id]))
            attrs["nodes_missing_value_tracks_true"].append(0)
            attrs["nodes_hitrates"].append(1.0)
            if leaf:
                attrs["class_treeids"].append(tree_id)
                attrs["class_nodeids"].append(node_id)
                attrs["class_ids"].append(0)
                attrs["class_weights"].append(float(tree.value[node_id, 0, 0] * gbt.learning_rate))
    prior = gbt.init_.class_prior_[1]
    base = float(np.log(prior / (1 - prior)))
    return helper.make_node("TreeEnsembleClassifier", ["float_input"], ["output_label", "output_probability"], name="TreeEnsembleClassifier",
                            domain=ML_DOMAIN, classlabels_int64s=[0, 1], base_values=[base], post_transform="LOGISTIC", **attrs)


def logreg_node(lr):
    """LinearClassifier with skl2onnx's binary layout: the class-0 row is the negated class-1 row, so LOGISTIC gives [1 - p, p]."""
    coef = [float(c) for c in lr.coef_.ravel()]
    intercept = float(lr.intercept_[0])
    return helper.make_node("LinearClassifier", ["float_input"], ["output_label", "output_probability"], name="LinearClassifier",
                            domain=ML_DOMAIN, classlabels_ints=[0, 1], coefficients=[-c for c in coef] + coef,
                            intercepts=[-intercept, intercept], multi_class=0, post_transform="LOGISTIC")


def main(train_path, rows_path, out_dir):
    names, x, y = read_table(train_path)
    _, rows_x, _ = read_table(rows_path)
    features = x.shape[1]
    gbt = GradientBoostingClassifier(**GBT).fit(x.astype(np.float64), y)
    lr = LogisticRegression(**LOGREG).fit(x.astype(np.float64), y)
    recipe = "trained on %d CPS1988 rows (features %s)" % (len(y), ", ".join(names))
    out = {}
    for name, node, estimator, params in [("cps-gbt", gbt_node, gbt, GBT), ("cps-logreg", logreg_node, lr, LOGREG)]:
        for zipmap in (False, True):
            file = "%s%s.onnx" % (name, "-zipmap" if zipmap else "")
            doc = "%s(%s) %s%s" % (type(estimator).__name__, ", ".join("%s=%s" % kv for kv in sorted(params.items())), recipe,
                                   "; probabilities through ZipMap" if zipmap else "")
            onnx.save(model(name, node(estimator), features, zipmap, doc), "%s/%s" % (out_dir, file))
        out[name] = {
            "estimator": type(estimator).__name__,
            "params": params,
            "trainRows": int(len(y)),
            "trainAccuracy": float(estimator.score(x.astype(np.float64), y)),
            "predictProba": [[float(v) for v in row] for row in estimator.predict_proba(rows_x.astype(np.float64))],
        }
    out["sklearn"] = sklearn.__version__
    out["onnx"] = onnx.__version__
    with open("%s/sklearn.json" % out_dir, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main(*sys.argv[1:4])
