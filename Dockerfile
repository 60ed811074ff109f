# The Hub as a container image: a static binary (CGO off: the SQLite
# driver is pure Go) on a distroless base, run as a non-root user.
#   docker build -t bridges-of-trust-hub .
#   docker run -p 8080:8080 -v hub-data:/data bridges-of-trust-hub serve --demo
# cmd/hub/container_test.go runs the build command below (the line that
# starts with "RUN CGO_ENABLED=0") with the same flags, as CI has no
# container builder.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux GOFLAGS=-buildvcs=false go build -ldflags='-s -w' -o /out/hub ./cmd/hub
# The store's directory and the library's files in it, owned by the
# image's non-root user (65532); a volume mounted on /data/files (one that
# replicas share, compose.yaml) starts with that owner.
RUN mkdir -p /out/data/files

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/hub /usr/local/bin/hub
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
WORKDIR /data
ENV HUB_ADDR=0.0.0.0:8080 \
    HUB_METRICS_ADDR=0.0.0.0:9464 \
    HUB_DATABASE_URL=sqlite:///data/hub.db \
    HUB_FILES_DIR=/data/files \
    HUB_LOG_FORMAT=json
VOLUME /data
EXPOSE 8080 9464
ENTRYPOINT ["/usr/local/bin/hub"]
CMD ["serve"]
