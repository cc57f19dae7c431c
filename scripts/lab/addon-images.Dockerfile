# The lab's add-on images: each a static binary from ../shared/kube on an
# empty filesystem (scripts/lab/lab.sh builds and pushes them).
FROM scratch AS pause
COPY pause /pause
USER 65535:65535
ENTRYPOINT ["/pause"]

FROM scratch AS coredns
COPY coredns /coredns
ENTRYPOINT ["/coredns"]

FROM scratch AS metrics-server
COPY metrics-server /metrics-server
USER 65532:65532
ENTRYPOINT ["/metrics-server"]
