# redline: build the static-librdkafka binary, then ship it on a slim runtime image.
FROM rust:1-bookworm AS build
# librdkafka is compiled from source by rdkafka-sys (bundled, statically linked).
RUN apt-get update && apt-get install -y --no-install-recommends cmake build-essential python3 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin redline

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates zlib1g \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 redline
COPY --from=build /src/target/release/redline /usr/local/bin/redline
COPY config /etc/redline
USER redline
WORKDIR /home/redline
# /metrics, /healthz, /readyz
EXPOSE 9464
ENV REDLINE_METRICS_ADDR=0.0.0.0:9464
ENTRYPOINT ["redline"]
CMD ["run", "--config", "/etc/redline/redline.toml"]
