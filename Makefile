# The two set-up commands of the README. Each installs the four Debian -dev packages Pace
# links against when they are missing, then hands over to SwiftPM.
DEB_PACKAGES := libsqlite3-dev libssl-dev libargon2-dev zlib1g-dev libpq-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test build deps bench docker-check

run: deps
	swift run -c release pace

test: deps
	swift test

build: deps
	swift build -c release

deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing; \
	fi

bench: build
	bench/healthz.sh

# The Docker image's build and first start, replayed without a Docker engine.
docker-check: deps
	python3 Tests/docker/check.py
