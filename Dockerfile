# Build stage: the Swift toolchain image plus the four -dev packages Pace links against.
FROM swift:6.3-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libsqlite3-dev libssl-dev libargon2-dev zlib1g-dev libpq-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Plugins ./Plugins
# The manifest declares the test targets too, so SwiftPM wants their folders even for a
# build of `pace` alone; nothing under Tests/ is compiled into the image.
COPY Tests ./Tests
COPY migrations ./migrations
COPY openapi.yaml ./
# The web client, embedded into the binary at build time like the migrations.
COPY web ./web
RUN swift build -c release --product pace --static-swift-stdlib \
 && install -D .build/release/pace /out/pace

# Run stage: only the runtime libraries (zlib1g is in every Debian image). Migrations, openapi.yaml and the web client are inside the binary.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libsqlite3-0 libssl3 libargon2-1 libpq5 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/pace --create-home pace \
 && install -d -o pace -g pace -m 0750 /var/lib/pace/data
COPY --from=build /out/pace /usr/local/bin/pace
USER pace
ENV PACE_HOST=0.0.0.0 PACE_PORT=8080 PACE_DATA_DIR=/var/lib/pace/data
# Docker fills a new named volume from this folder, owner included, so `pace` can write to it.
VOLUME ["/var/lib/pace/data"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/pace"]
CMD ["serve"]
