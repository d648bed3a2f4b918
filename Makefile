# HoiThi: `make run` serves the demo, `make test` runs lint and the whole suite.
# Both bootstrap a fresh machine (Python 3.11 and make): .venv, pinned dependencies, instance config, schema.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
STAMP := $(VENV)/.installed
CONSTRAINTS := .ci/constraints.txt

export HOITHI_ENV ?= development

.PHONY: help install run serve migrate demo test lint unit e2e bench format clean

help:
	@echo "make run   – cài đặt, tạo CSDL, nạp dữ liệu mẫu và chạy tại http://127.0.0.1:$(PORT)"
	@echo "make test  – cài đặt, kiểm tra mã (ruff) và chạy toàn bộ bộ kiểm thử"

$(STAMP): pyproject.toml $(CONSTRAINTS)
	@echo "==> Tạo môi trường ảo $(VENV) và cài các thư viện đã ghim phiên bản"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

instance/config.py:
	@echo "==> Tạo instance/config.py với SECRET_KEY ngẫu nhiên (lần chạy đầu tiên)"
	@mkdir -m 700 -p instance
	@$(PYTHON) -c "import secrets; print('SECRET_KEY = %r' % secrets.token_hex(32)); print('CCCD_HASH_KEY = %r' % secrets.token_hex(32))" > instance/config.py
	@chmod 600 instance/config.py

migrate: $(STAMP) instance/config.py
	@echo "==> Cập nhật cấu trúc cơ sở dữ liệu (flask db upgrade)"
	@$(BIN)/flask db upgrade 2>&1 | grep -v "^INFO" || true
	@$(BIN)/flask db current 2>/dev/null | grep -q head || { echo "Lỗi: chưa cập nhật được cơ sở dữ liệu"; exit 1; }

demo: migrate
	@echo "==> Nạp đơn vị mẫu, ngân hàng câu hỏi và cuộc thi mẫu (flask demo load)"
	@$(BIN)/flask demo load

run: demo
	@echo "==> Phục vụ tại http://127.0.0.1:$(PORT)  (Ctrl+C để dừng)"
	@HOITHI_ENV=production PORT=$(PORT) GUNICORN_ACCESSLOG=- $(BIN)/gunicorn -c python:contest.gunicorn_conf wsgi:app

lint: $(STAMP)
	@echo "==> Kiểm tra mã (ruff)"
	@$(BIN)/ruff check contest tests bench wsgi.py migrations/env.py
	@echo "==> Kiểm tra các tầng phụ thuộc giữa các module (lint-imports, hợp đồng trong pyproject.toml)"
	@$(BIN)/lint-imports --no-cache

test: $(STAMP) lint
	@echo "==> Kiểm tra cách viết câu hỏi trong questions/ (flask bank lint; dừng nếu có lỗi)"
	@HOITHI_ENV=testing $(BIN)/flask bank lint questions/*.yaml
	@echo "==> Chạy bộ kiểm thử (pytest); kiểm thử trình duyệt: $$( [ "$$REQUIRE_BROWSER" = 1 ] && echo 'bắt buộc' || echo 'chạy nếu có Chromium' )"
	@HOITHI_ENV=testing $(BIN)/pytest $(PYTEST_ARGS)

unit: $(STAMP)
	@HOITHI_ENV=testing $(BIN)/pytest tests/unit $(PYTEST_ARGS)

e2e: $(STAMP)
	@HOITHI_ENV=testing REQUIRE_BROWSER=1 $(BIN)/pytest tests/e2e $(PYTEST_ARGS)

bench: $(STAMP)
	@echo "==> Benchmarks (gunicorn + wrk on loopback); figures beside baselines of the same run"
	@# Every scenario runs even when one misses its target (it exits 1); make bench then exits 1 at the end.
	@missed=""; \
	for scenario in "run $(BENCH_ARGS)" "hotpath" "startup" "starts $(BENCH_STARTS_ARGS)" \
	    "pages $(BENCH_PAGES_ARGS)" "takers $(BENCH_TAKERS_ARGS)" "bank_import" "rankings $(RANKINGS_ARGS)" \
	    "exports $(BENCH_EXPORTS_ARGS)" "survey $(BENCH_SURVEY_ARGS)"; do \
	  $(BIN)/python -m bench.$$scenario || missed="$$missed $${scenario%% *}"; \
	done; \
	if [ -n "$$missed" ]; then echo "==> Missed a target or failed:$$missed"; exit 1; fi

format: $(STAMP)
	@$(BIN)/ruff check --fix contest tests bench wsgi.py migrations/env.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
