//go:build tools

// Package tools pins the binaries the harness builds: kube-apiserver and etcd.
package tools
