"""motcua intake: where a citizen's dossier becomes the state's obligation (Bộ phận tiếp nhận và trả kết quả)."""
