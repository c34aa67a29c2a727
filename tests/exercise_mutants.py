"""Plausible wrong answers to every exercise, each one that its tests must reject.

``MUTANTS[grade_id]`` lists the mutants of that solution cell: ``find`` occurs in the cell's
source exactly once and is replaced by ``replace``. test_exercise_mutants.py runs each mutant
followed by the exercise's test cell (hidden tests included) and expects the tests to fail.
"""

from __future__ import annotations

from typing import NamedTuple


class Mutant(NamedTuple):
    description: str
    find: str
    replace: str


MUTANTS: dict[str, list[Mutant]] = {
    # 01_word2vec
    "skipgram_pairs": [
        Mutant("window one short on the right (off by one)", "i + window + 1", "i + window"),
        Mutant("the center is its own context", "            if j != i:\n                pairs",
               "            if True:\n                pairs"),
        Mutant("window start not clamped at 0 (negative indices wrap)", "max(0, i - window)", "i - window"),
        Mutant("pairs as (context, center)", "(center, tokens[j])", "(tokens[j], center)"),
        Mutant("right context only", "range(max(0, i - window),", "range(i + 1,"),
    ],
    "sgns_loss": [
        Mutant("negatives not negated", "F.logsigmoid(-negative)", "F.logsigmoid(negative)"),
        Mutant("mean over the K negatives instead of their sum", "F.logsigmoid(-negative).sum(dim=-1)",
               "F.logsigmoid(-negative).mean(dim=-1)"),
        Mutant("sum over the batch instead of the mean", ".sum(dim=-1)).mean()", ".sum(dim=-1)).sum()"),
        Mutant("log(sigmoid) instead of logsigmoid (overflows)", "F.logsigmoid(positive)",
               "torch.log(torch.sigmoid(positive))"),
        Mutant("negatives scored against the context, not the center",
               "torch.bmm(negatives, center.unsqueeze(-1))", "torch.bmm(negatives, context.unsqueeze(-1))"),
    ],
    "analogy_3cosadd": [
        Mutant("sign error: a - b + c", "vectors[b] - vectors[a] + vectors[c]",
               "vectors[a] - vectors[b] + vectors[c]"),
        Mutant("query words not excluded", "        scores[rows, excluded] = -math.inf",
               "        pass"),
        Mutant("c not excluded", "for excluded in (a, b, c):", "for excluded in (a, b):"),
        Mutant("every question's words masked in every row", "scores[rows, excluded]",
               "scores[:, excluded]"),
        Mutant("argmax over the questions axis", "scores.argmax(dim=1)", "scores.argmax(dim=0)"),
    ],
    # 02_joint_embedding
    "hinge_rank_loss": [
        Mutant("every label compared, true ones included", "positives.unsqueeze(2) & ~positives.unsqueeze(1)",
               "positives.unsqueeze(2).expand(-1, -1, positives.shape[1])"),
        Mutant("mean over the pairs instead of their sum", ".sum(dim=(1, 2)).mean()",
               ".mean(dim=(1, 2)).mean()"),
        Mutant("sign error in the hinge", "margin - scores.unsqueeze(2) + scores.unsqueeze(1)",
               "margin + scores.unsqueeze(2) - scores.unsqueeze(1)"),
        Mutant("no clamp: negative hinges reward", "violations.clamp(min=0) * pairs", "violations * pairs"),
        Mutant("sum over the batch instead of the mean", ".sum(dim=(1, 2)).mean()", ".sum()"),
        Mutant("true and false axes of the pairs swapped", "positives.unsqueeze(2) & ~positives.unsqueeze(1)",
               "positives.unsqueeze(1) & ~positives.unsqueeze(2)"),
    ],
    "triplet_loss": [
        Mutant("unmasked diagonal (positive counted as its own negative)",
               "(margin - positive[:, None] + scores).clamp(min=0) * negatives",
               "(margin - positive[:, None] + scores).clamp(min=0)"),
        Mutant("hardest wrong image taken along the wrong axis", "wrong_image.max(dim=0)",
               "wrong_image.max(dim=1)"),
        Mutant("sum over the batch instead of the mean", "wrong_image.max(dim=0).values).mean()",
               "wrong_image.max(dim=0).values).sum()"),
        Mutant("wrong-image hinge uses the caption's positive", "(margin - positive[None, :] + scores)",
               "(margin - positive[:, None] + scores)"),
        Mutant("VSE: mean over negatives instead of their sum",
               "(wrong_caption.sum(dim=1) + wrong_image.sum(dim=0)).mean()",
               "(wrong_caption.mean(dim=1) + wrong_image.mean(dim=0)).mean()"),
        Mutant("VSE++: only the wrong captions",
               "(wrong_caption.max(dim=1).values + wrong_image.max(dim=0).values)",
               "wrong_caption.max(dim=1).values"),
    ],
    "retrieval_metrics": [
        Mutant("ties counted against the true item", "(similarity > true_scores).sum(dim=1) + 1",
               "(similarity >= true_scores).sum(dim=1)"),
        Mutant("median of an even count: mean of the two middles", "ranks.float().median()",
               "ranks.float().quantile(0.5)"),
        Mutant("median of an even count: upper middle", "ranks.float().median()",
               "ranks.float().sort().values[len(ranks) // 2]"),
        Mutant("ranks start at 0", "(similarity > true_scores).sum(dim=1) + 1",
               "(similarity > true_scores).sum(dim=1)"),
        Mutant("R@K counts ranks below K only", "(ranks <= k)", "(ranks < k)"),
        Mutant("mean rank instead of the median", "ranks.float().median()", "ranks.float().mean()"),
        Mutant("true scores compared along columns", "similarity.diag()[:, None]",
               "similarity.diag()[None, :]"),
    ],
    # 03_captioning_attention
    "soft_attention": [
        Mutant("softmax over the batch axis", "torch.softmax(energies, dim=1)",
               "torch.softmax(energies, dim=0)"),
        Mutant("no tanh", "score(torch.tanh(projected_regions + hidden_projection.unsqueeze(1)))",
               "score(projected_regions + hidden_projection.unsqueeze(1))"),
        Mutant("hidden state ignored", "projected_regions + hidden_projection.unsqueeze(1)",
               "projected_regions"),
        Mutant("hidden projection not unsqueezed (broadcast against L)", "hidden_projection.unsqueeze(1)",
               "hidden_projection"),
        Mutant("context is the mean of the weighted regions", "(weights.unsqueeze(-1) * regions).sum(dim=1)",
               "(weights.unsqueeze(-1) * regions).mean(dim=1)"),
        Mutant("sigmoid instead of softmax", "torch.softmax(energies, dim=1)", "torch.sigmoid(energies)"),
        Mutant("context is the plain mean of the regions", "(weights.unsqueeze(-1) * regions).sum(dim=1)",
               "regions.mean(dim=1)"),
    ],
    "attention_regulariser": [
        Mutant("regulariser mask ignored", "(weights * mask.unsqueeze(-1)).sum(dim=1)", "weights.sum(dim=1)"),
        Mutant("weights summed over regions instead of steps", "(weights * mask.unsqueeze(-1)).sum(dim=1)",
               "(weights * mask.unsqueeze(-1)).sum(dim=2)"),
        Mutant("sum over the batch instead of the mean", ".sum(dim=1).mean()", ".sum(dim=1).sum()"),
        Mutant("mean over the regions instead of their sum", "** 2).sum(dim=1).mean()", "** 2).mean()"),
        Mutant("mask broadcast over regions, not steps", "mask.unsqueeze(-1)", "mask.unsqueeze(1)"),
        Mutant("absolute value instead of the square", "((1 - per_region) ** 2)", "(1 - per_region).abs()"),
    ],
    "caption_loss": [
        Mutant("padding not ignored", ", ignore_index=pad_id)", ")"),
        Mutant("targets not shifted (off by one)", "targets = captions[:, 1:]", "targets = captions[:, :-1]"),
        Mutant("mean over the batch of per-caption sums", "ignore_index=pad_id)",
               'ignore_index=pad_id, reduction="sum") / len(captions)'),
        Mutant("sum over real tokens divided by all positions", "ignore_index=pad_id)",
               'ignore_index=pad_id, reduction="sum") / targets.numel()'),
        Mutant("padding id hard-coded as 0", "ignore_index=pad_id", "ignore_index=0"),
        Mutant("softmax before cross-entropy", "F.cross_entropy(logits.reshape(",
               "F.cross_entropy(logits.softmax(dim=-1).reshape("),
        Mutant("mean over captions of per-caption means",
               "    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), "
               "ignore_index=pad_id)",
               "    real = targets != pad_id\n"
               "    losses = F.cross_entropy(logits.transpose(1, 2), targets, reduction='none') * real\n"
               "    return (losses.sum(dim=1) / real.sum(dim=1)).mean()"),
    ],
    "clipped_precision": [
        Mutant("no clipping", "min(count, most.get(gram, 0))", "(count if gram in most else 0)"),
        Mutant("reference counts summed instead of their max", "max(most.get(gram, 0), count)",
               "most.get(gram, 0) + count"),
        Mutant("last n-gram dropped (off by one)", "range(len(tokens) - n + 1)", "range(len(tokens) - n)"),
        Mutant("total is the caption's length", "return matched, max(len(caption) - n + 1, 0)",
               "return matched, len(caption)"),
        Mutant("each distinct matching n-gram counted once", "min(count, most.get(gram, 0))",
               "min(1, most.get(gram, 0))"),
    ],
    # 05_visual_question_answering
    "vqa_accuracy": [
        Mutant("no leave-one-out: matches among all ten",
               "others = humans[:left_out] + humans[left_out + 1:]", "others = humans"),
        Mutant("full credit at ten matches, not three", "/ 3, 1.0)", "/ 10, 1.0)"),
        Mutant("no cap at 1", "min(sum(h == answer for h in others) / 3, 1.0)",
               "sum(h == answer for h in others) / 3"),
        Mutant("two people left out", "humans[left_out + 1:]", "humans[left_out + 2:]"),
        Mutant("the best subset instead of the average", "return sum(scores) / len(scores)",
               "return max(scores)"),
    ],
    "type_prior": [
        Mutant("the least frequent answer", "counter.most_common(1)[0][0]", "counter.most_common()[-1][0]"),
        Mutant("the most frequent answer of all types for every type",
               "{kind: counter.most_common(1)[0][0] for kind, counter in counts.items()}",
               "{kind: sum(counts.values(), collections.Counter()).most_common(1)[0][0] for kind in counts}"),
        Mutant("the alphabetically last answer", "counter.most_common(1)[0][0]", "max(counter)"),
        Mutant("the first question skipped", "zip(kinds, answers)", "zip(kinds[1:], answers[1:])"),
    ],
    "product_fusion": [
        Mutant("sum instead of product", "torch.tanh(question_layer(question)) * torch.tanh",
               "torch.tanh(question_layer(question)) + torch.tanh"),
        Mutant("no tanh on the image side", "torch.tanh(image_layer(image))", "image_layer(image)"),
        Mutant("sigmoid instead of tanh on the question side", "torch.tanh(question_layer(question))",
               "torch.sigmoid(question_layer(question))"),
        Mutant("concatenation instead of product",
               "torch.tanh(question_layer(question)) * torch.tanh(image_layer(image))",
               "torch.cat([torch.tanh(question_layer(question)), torch.tanh(image_layer(image))], dim=1)"),
        Mutant("the raw vectors multiplied, layers unused",
               "torch.tanh(question_layer(question)) * torch.tanh(image_layer(image))",
               "torch.tanh(question[:, :1]) * torch.tanh(image[:, :1])"),
    ],
    # 06_stft_spectrogram
    "dft": [
        Mutant("sign error in the exponent", "torch.exp(-2j", "torch.exp(2j"),
        Mutant("normalised by N", "return basis @ x.to(torch.complex128)",
               "return basis @ x.to(torch.complex128) / len(x)"),
        Mutant("complex64 result", "basis @ x.to(torch.complex128)",
               "(basis @ x.to(torch.complex128)).to(torch.complex64)"),
        Mutant("sample index starts at 1", "torch.arange(len(x), dtype=torch.float64)",
               "torch.arange(1, len(x) + 1, dtype=torch.float64)"),
        Mutant("float32 index grid (complex64 basis)", "torch.arange(len(x), dtype=torch.float64)",
               "torch.arange(len(x), dtype=torch.float32)"),
    ],
    "frame_signal": [
        Mutant("last frame dropped (off by one)", "return x.unfold(0, frame_length, hop)",
               "return x.unfold(0, frame_length, hop)[:-1]"),
        Mutant("frame length and hop swapped", "x.unfold(0, frame_length, hop)",
               "x.unfold(0, hop, frame_length)"),
        Mutant("non-overlapping frames", "x.unfold(0, frame_length, hop)",
               "x.unfold(0, frame_length, frame_length)"),
        Mutant("loop stops one frame short", "return x.unfold(0, frame_length, hop)",
               "return torch.stack([x[s:s + frame_length] for s in range(0, len(x) - frame_length, hop)])"),
        Mutant("frames as columns", "return x.unfold(0, frame_length, hop)",
               "return x.unfold(0, frame_length, hop).T"),
    ],
    "mel_filterbank": [
        Mutant("filterbank linear in Hz", "points = 700.0 * (10 ** (mels / 2595.0) - 1.0)",
               "points = torch.linspace(f_min, f_max, n_mels + 2, dtype=torch.float64)"),
        Mutant("bins spread up to the sample rate", "torch.linspace(0, sample_rate / 2, n_freqs",
               "torch.linspace(0, sample_rate, n_freqs"),
        Mutant("natural log in the mel formula", "2595.0 * math.log10(1.0 + f / 700.0)",
               "2595.0 * math.log(1.0 + f / 700.0)"),
        Mutant("no clamp at 0 outside the triangles", "torch.clamp(torch.minimum(rising, falling), min=0.0)",
               "torch.minimum(rising, falling)"),
        Mutant("f_max ignored", "f_max = sample_rate / 2 if f_max is None else f_max",
               "f_max = sample_rate / 2"),
        Mutant("f_min ignored", "torch.linspace(to_mel(f_min),", "torch.linspace(to_mel(0.0),"),
    ],
    # 07_soundnet
    "receptive_field": [
        Mutant("jump updated before the field",
               "        field += (kernel_size - 1) * jump\n        jump *= stride",
               "        jump *= stride\n        field += (kernel_size - 1) * jump"),
        Mutant("strides ignored", "field += (kernel_size - 1) * jump", "field += kernel_size - 1"),
        Mutant("kernel sizes added whole (off by one)", "field += (kernel_size - 1) * jump",
               "field += kernel_size * jump"),
        Mutant("field starts at 0", "field, jump = 1, 1", "field, jump = 0, 1"),
        Mutant("jump multiplied by the kernel size", "jump *= stride", "jump *= kernel_size"),
    ],
    "kl_to_teacher": [
        Mutant("missing clamp before the log", "torch.log(teacher_probs.clamp(min=1e-12))",
               "torch.log(teacher_probs)"),
        Mutant("KL in the wrong direction", "(teacher_probs * (log_p - log_q))",
               "(log_q.exp() * (log_q - log_p))"),
        Mutant("sum over the batch instead of the mean", ".sum(dim=1).mean()", ".sum(dim=1).sum()"),
        Mutant("softmax over the batch axis", "F.log_softmax(student_logits, dim=1)",
               "F.log_softmax(student_logits, dim=0)"),
        Mutant("mean over the classes too", ".sum(dim=1).mean()", ".mean()"),
        Mutant("cross-entropy instead of KL", "(teacher_probs * (log_p - log_q))",
               "(teacher_probs * -log_q)"),
    ],
    "cross_validated_accuracy": [
        Mutant("scaler fitted on all folds (the leak)",
               "        classifier = make_pipeline(StandardScaler(), LinearSVC(C=0.01, max_iter=5000))\n"
               "        classifier.fit(features[train], labels[train])\n"
               "        scores.append(classifier.score(features[test], labels[test]))",
               "        scaled = StandardScaler().fit_transform(features)\n"
               "        classifier = LinearSVC(C=0.01, max_iter=5000).fit(scaled[train], labels[train])\n"
               "        scores.append(classifier.score(scaled[test], labels[test]))"),
        Mutant("no standardisation", "make_pipeline(StandardScaler(), LinearSVC(C=0.01, max_iter=5000))",
               "make_pipeline(LinearSVC(C=0.01, max_iter=5000))"),
        Mutant("train and test folds swapped", "train, test = folds != fold, folds == fold",
               "train, test = folds == fold, folds != fold"),
        Mutant("scored on the training folds", "classifier.score(features[test], labels[test])",
               "classifier.score(features[train], labels[train])"),
        Mutant("last fold skipped (off by one)", "for fold in np.unique(folds):",
               "for fold in range(folds.max()):"),
        Mutant("pooled accuracy instead of the mean over folds",
               "scores.append(classifier.score(features[test], labels[test]))\n"
               "    return float(np.mean(scores))",
               "scores.append((classifier.predict(features[test]) == labels[test]).sum())\n"
               "    return float(np.sum(scores) / len(labels))"),
    ],
    # 08_speech2face
    "speech2face_loss": [
        Mutant("features compared without normalising",
               "(F.normalize(face, dim=1) - F.normalize(voice, dim=1))", "(face - voice)"),
        Mutant("the teacher not detached (gradient into the face)", "temperature, dim=1).detach()",
               "temperature, dim=1)"),
        Mutant("no temperature on the voice's side", "classifier(voice) / temperature", "classifier(voice)"),
        Mutant("the voice teaches itself", "F.softmax(classifier(face) / temperature",
               "F.softmax(classifier(voice) / temperature"),
        Mutant("distance not squared", ".pow(2).sum(dim=1).mean()", ".pow(2).sum(dim=1).sqrt().mean()"),
        Mutant("first term on the features, not the decoder's first layer",
               "(first_layer(face) - first_layer(voice)).abs().mean()", "(face - voice).abs().mean()"),
    ],
    "agreement_and_chance": [
        Mutant("chance from the true frequencies alone", "(p_true * p_voice).sum()",
               "(p_true * p_true).sum()"),
        Mutant("no minlength (classes one reading never gives)",
               "np.bincount(voice_classes, minlength=classes)", "np.bincount(voice_classes)"),
        Mutant("chance as one over the number of classes", "float((p_true * p_voice).sum())",
               "1.0 / classes"),
        Mutant("counts instead of frequencies", " / len(voice_classes)", ""),
    ],
    "retrieval_ranks": [
        Mutant("ties count for the true match", "similarity >= true_scores", "similarity > true_scores"),
        Mutant("ranks from 1", "return ahead.sum(dim=1)", "return ahead.sum(dim=1) + 1"),
        Mutant("the true match counted against itself", "    ahead[rows, rows] = False\n", ""),
        Mutant("counted down the columns", "ahead.sum(dim=1)", "ahead.sum(dim=0)"),
    ],
}
