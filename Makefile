# The two set-up commands of the README. Each installs the Debian -dev packages Pace
# links against when they are missing, then hands over to SwiftPM.
DEB_PACKAGES := libsqlite3-dev libssl-dev libargon2-dev zlib1g-dev libpq-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-pg pg pg-stop pg-server build deps bench docker-check cluster

run: deps
	swift run -c release pace

test: deps
	swift test

# The app test suite again, on PostgreSQL: a throw-away cluster in .build/pg (Tests/support/pg.sh),
# a fresh database for the run and a fresh schema per test; the cluster stops afterwards.
test-pg: deps pg-server
	@Tests/support/pg.sh start >/dev/null
	@url=$$(Tests/support/pg.sh fresh) && status=0 && \
	  PACE_TEST_DATABASE_URL=$$url swift test || status=$$?; \
	  Tests/support/pg.sh stop; exit $$status

# Starts the throw-away PostgreSQL cluster and prints its URL (`make pg-stop` stops it).
pg: pg-server
	@Tests/support/pg.sh start

pg-stop:
	@Tests/support/pg.sh stop

# The PostgreSQL server itself, for `make pg` and `make test-pg` (libpq-dev alone is enough to build).
pg-server:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "installing: postgresql"; $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql; }

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

# Three instances behind haproxy on PostgreSQL and Redis, on loopback, and their tests
# (Tests/cluster/run.sh; installs redis-server and haproxy when missing).
cluster: deps pg-server
	@command -v redis-server >/dev/null && command -v haproxy >/dev/null || { \
	  echo "installing: redis-server haproxy"; $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq redis-server haproxy; }
	Tests/cluster/run.sh
