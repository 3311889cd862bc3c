# ofwatch — build, run and test.
#
#   make run     install what is missing, build, start everything, feed samples
#   make test    install what is missing, build, run every test
#   make up / make down, make bench, make install PREFIX=...
#
# Sources are found by directory: every .c under lib/common, lib/extract,
# lib/history and lib/watch goes into the libraries, every .c under
# services/<name> into that program, every tests/unit/test_*.c becomes one
# test program. SAN=1 builds everything with AddressSanitizer and
# UndefinedBehaviorSanitizer into build/san.

SHELL    := /bin/bash
PREFIX   ?= /usr/local
SAN      ?= 0
ifeq ($(SAN),1)
BUILD    ?= build/san
else
BUILD    ?= build
endif

PKGS     := libczmq libzmq libprotobuf-c libpq poppler-glib libpcre2-8 libcrypto uuid libcurl libmicrohttpd jansson xlsxwriter libxml-2.0
CC       ?= cc
OPT      ?= -O2
CFLAGS   += -std=gnu11 -D_GNU_SOURCE $(OPT) -g -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
            -I$(BUILD)/gen -Ilib/common -Ilib/extract -Ilib/history -Ilib/watch -Itests/support \
            -DOW_DEFAULT_DATA_DIR='"$(abspath data)"' \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
#  liblinear and libstemmer (the findings classifier) ship no pkg-config file.
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -llinear -lstemmer -lm
#  Every symbol bound at start (and the table then read-only): ingest's
#  workers fork a child per document, and lazy binding made each child
#  look up again every library function it called.
LDFLAGS  += -Wl,-z,now -Wl,-z,relro
ifeq ($(SAN),1)
CFLAGS   += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=address,undefined
endif

PROTOS      := $(wildcard proto/ofwatch/v1/*.proto)
PROTO_C     := $(patsubst proto/%.proto,$(BUILD)/gen/%.pb-c.c,$(PROTOS))
PROTO_H     := $(PROTO_C:.c=.h)
COMMON_SRC  := $(wildcard lib/common/*.c)
EXTRACT_SRC := $(wildcard lib/extract/*.c)
HISTORY_SRC := $(wildcard lib/history/*.c)
WATCH_SRC   := $(wildcard lib/watch/*.c)
SERVICES    := ingest store analytics notify watch
LIB_OBJ     := $(patsubst %.c,$(BUILD)/obj/%.o,$(PROTO_C:$(BUILD)/gen/%=gen/%) $(COMMON_SRC) $(EXTRACT_SRC) $(HISTORY_SRC) $(WATCH_SRC))
LIB         := $(BUILD)/libofwatch.a
BINS        := $(addprefix $(BUILD)/bin/ofwatch-,$(SERVICES)) $(BUILD)/bin/ofwatch
UNIT_SRC    := $(wildcard tests/unit/test_*.c)
UNIT_BINS   := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
ITEST_SRC   := $(wildcard tests/integration/test_*.c)
ITEST_BINS  := $(patsubst tests/integration/%.c,$(BUILD)/tests/%,$(ITEST_SRC))
SUPPORT_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tests/support/*.c))
BENCH_SRC   := $(wildcard bench/bench_*.c)
BENCH_BINS  := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
TOOL_SRC    := $(wildcard tools/*.c)
TOOL_BINS   := $(patsubst tools/%.c,$(BUILD)/tools/%,$(TOOL_SRC))
PAGE_TOOLS  := tests/pages/node_modules/.package-lock.json

.PHONY: all build deps run up down test unit integration check-deploy bench install clean
.DEFAULT_GOAL := build
.SECONDARY:

all build: $(BINS) $(UNIT_BINS) $(ITEST_BINS) $(BENCH_BINS) $(TOOL_BINS)

deps:
	@tools/bootstrap.sh

# ---- generated protobuf -------------------------------------------------
$(BUILD)/gen/%.pb-c.c $(BUILD)/gen/%.pb-c.h: proto/%.proto
	@mkdir -p $(BUILD)/gen
	@echo '  PROTO $<'
	@protoc-c --c_out=$(BUILD)/gen -Iproto $<

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	@echo '  CC    $<'
	@$(CC) $(CFLAGS) -Wno-shadow -MMD -MP -c $< -o $@

$(BUILD)/obj/%.o: %.c $(PROTO_H)
	@mkdir -p $(dir $@)
	@echo '  CC    $<'
	@$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	@echo '  AR    $@'
	@ar rcs $@ $^

# ---- programs ---------------------------------------------------------------
define service_rule
$(BUILD)/bin/ofwatch-$(1): $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard services/$(1)/*.c)) $(LIB)
	@mkdir -p $$(dir $$@)
	@echo '  LD    $$@'
	@$$(CC) $$(LDFLAGS) $$^ $$(LDLIBS) -o $$@
endef
$(foreach s,$(SERVICES),$(eval $(call service_rule,$(s))))

$(BUILD)/bin/ofwatch: $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard services/cli/*.c)) $(LIB)
	@mkdir -p $(dir $@)
	@echo '  LD    $@'
	@$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(LIB)
	@mkdir -p $(dir $@)
	@echo '  LD    $@'
	@$(CC) $(LDFLAGS) $^ $(LDLIBS) -lcmocka -o $@

$(BUILD)/tests/%: $(BUILD)/obj/tests/integration/%.o $(SUPPORT_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	@echo '  LD    $@'
	@$(CC) $(LDFLAGS) $^ $(LDLIBS) -lcmocka -o $@

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(SUPPORT_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	@echo '  LD    $@'
	@$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

#  Tools for the repository's own data (tools/findings_train).
$(BUILD)/tools/%: $(BUILD)/obj/tools/%.o $(LIB)
	@mkdir -p $(dir $@)
	@echo '  LD    $@'
	@$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# ---- running ----------------------------------------------------------------
run: deps build
	@tools/run.sh

up: deps build
	@tools/up.sh

down:
	@tools/down.sh

# ---- tests ------------------------------------------------------------------
# Every suite, as built and again under ASan/UBSan (tools/test.sh).
test: deps
	@tools/test.sh

unit: $(UNIT_BINS)
	@tools/run_unit.sh $(UNIT_BINS)

integration: $(BINS) $(ITEST_BINS) $(PAGE_TOOLS)
	@BUILD=$(BUILD) tests/integration/run.sh $(ITEST_BINS)

# The page tests' npm packages (axe-core, puppeteer-core), exactly as
# tests/pages/package-lock.json pins them. puppeteer-core never downloads
# a browser (the tests drive Debian's /usr/bin/chromium); the variable
# makes sure nothing else does either.
$(PAGE_TOOLS): tests/pages/package.json tests/pages/package-lock.json
	@echo '  NPM   tests/pages'
	@cd tests/pages && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	@touch $@

check-deploy:
	@tests/deploy/check_deploy.sh

# Benchmarks: every bench/NN_*.sh in order, with the programs built from
# bench/bench_*.c; figures printed and kept in bench/results/latest.txt.
bench: deps build
	@BUILD=$(BUILD) bench/run.sh

install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/ofwatch/samples
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	cp -r data/. $(DESTDIR)$(PREFIX)/share/ofwatch/
	cp -r samples/. $(DESTDIR)$(PREFIX)/share/ofwatch/samples/

clean:
	rm -rf build
