// Command go-tlog answers Hromada's interoperability tests with Go's own transparency-log code,
// golang.org/x/mod/sumdb/note (signed notes) and golang.org/x/mod/sumdb/tlog (RFC 6962 trees), as
// Debian ships them (golang-golang-x-mod-dev). It is test tooling, not part of the platform.
//
// It reads one JSON request {"ops": [...]} on standard input and writes {"results": [...]}, one result
// per op, in order. Byte strings (leaves, hashes, seeds) are base64, as encoding/json writes []byte and
// tlog.Hash. An op that Go refuses answers {"ok": false, "error": "<Go's message>"}; only a request that
// is not JSON makes the program exit non-zero.
//
//	open        {note, vkeys}                 note.Open with note.NewVerifier(vkey) for each vkey:
//	                                          text, verified signers, unverified (unknown) signatures
//	sign        {text, name, seed?}           note.Sign with a key from note.GenerateKey, or from the
//	                                          given 32-byte Ed25519 seed; answers the note and Go's vkey
//	checkpoint  {text}                        the checkpoint body read by tlog.ParseTree (after its origin)
//	inclusion   {leaf, index, size, proof, root}
//	                                          tlog.CheckRecord of tlog.RecordHash(leaf)
//	consistency {m, n, proof, rootM, rootN}   tlog.CheckTree (Go names the sizes the other way round)
//	tree        {leaves, sizes?, records?, trees?}
//	                                          stores the leaves with tlog.StoredHashes, then answers
//	                                          tlog.RecordHash of each leaf, tlog.TreeHash for each size
//	                                          (default: all leaves), tlog.ProveRecord for each
//	                                          [index, size] and tlog.ProveTree for each [m, n]
//
// Build (no network): GO111MODULE=off GOPATH=/usr/share/gocode go build -o go-tlog main.go
package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type op struct {
	Op string `json:"op"`

	Note  string   `json:"note"`
	Vkeys []string `json:"vkeys"`
	Text  string   `json:"text"`
	Name  string   `json:"name"`
	Seed  []byte   `json:"seed"`

	Leaf  []byte   `json:"leaf"`
	Index int64    `json:"index"`
	Size  int64    `json:"size"`
	Proof [][]byte `json:"proof"`
	Root  []byte   `json:"root"`

	M     int64  `json:"m"`
	N     int64  `json:"n"`
	RootM []byte `json:"rootM"`
	RootN []byte `json:"rootN"`

	Leaves  [][]byte   `json:"leaves"`
	Sizes   []int64    `json:"sizes"`
	Records [][2]int64 `json:"records"`
	Trees   [][2]int64 `json:"trees"`
}

type signer struct {
	Name  string `json:"name"`
	KeyID uint32 `json:"keyId"`
}

type result struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`

	Text       string   `json:"text,omitempty"`
	Signers    []signer `json:"signers,omitempty"`
	Unverified []signer `json:"unverified,omitempty"`
	Note       string   `json:"note,omitempty"`
	Vkey       string   `json:"vkey,omitempty"`

	Origin     string     `json:"origin,omitempty"`
	Size       *int64     `json:"size,omitempty"`
	Root       *tlog.Hash `json:"root,omitempty"`
	Extensions []string   `json:"extensions,omitempty"`

	LeafHashes   []tlog.Hash   `json:"leafHashes,omitempty"`
	Roots        []tlog.Hash   `json:"roots,omitempty"`
	RecordProofs [][]tlog.Hash `json:"recordProofs,omitempty"`
	TreeProofs   [][]tlog.Hash `json:"treeProofs,omitempty"`
}

func main() {
	var req struct {
		Ops []op `json:"ops"`
	}
	dec := json.NewDecoder(os.Stdin)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "go-tlog: bad request:", err)
		os.Exit(2)
	}
	results := make([]result, len(req.Ops))
	for i, o := range req.Ops {
		r, err := run(o)
		if err != nil {
			r = result{Error: err.Error()}
		}
		results[i] = r
	}
	out := json.NewEncoder(os.Stdout)
	if err := out.Encode(map[string][]result{"results": results}); err != nil {
		fmt.Fprintln(os.Stderr, "go-tlog:", err)
		os.Exit(1)
	}
}

func run(o op) (result, error) {
	switch o.Op {
	case "open":
		return open(o)
	case "sign":
		return sign(o)
	case "checkpoint":
		return checkpoint(o.Text)
	case "inclusion":
		proof, root, err := hashes(o.Proof, o.Root)
		if err == nil {
			err = tlog.CheckRecord(proof, o.Size, root[0], o.Index, tlog.RecordHash(o.Leaf))
		}
		return result{OK: err == nil}, err
	case "consistency":
		proof, roots, err := hashes(o.Proof, o.RootM, o.RootN)
		if err == nil {
			err = tlog.CheckTree(proof, o.N, roots[1], o.M, roots[0])
		}
		return result{OK: err == nil}, err
	case "tree":
		return tree(o)
	}
	return result{}, fmt.Errorf("unknown op %q", o.Op)
}

func open(o op) (result, error) {
	var verifiers []note.Verifier
	for _, vkey := range o.Vkeys {
		v, err := note.NewVerifier(vkey)
		if err != nil {
			return result{}, fmt.Errorf("vkey %q: %w", vkey, err)
		}
		verifiers = append(verifiers, v)
	}
	n, err := note.Open([]byte(o.Note), note.VerifierList(verifiers...))
	if err != nil {
		return result{}, err
	}
	r := result{OK: true, Text: n.Text}
	for _, s := range n.Sigs {
		r.Signers = append(r.Signers, signer{s.Name, s.Hash})
	}
	for _, s := range n.UnverifiedSigs {
		r.Unverified = append(r.Unverified, signer{s.Name, s.Hash})
	}
	return r, nil
}

// sign signs with a fresh key from note.GenerateKey, or with the key of the given seed: Go's skey
// format is PRIVATE+KEY+<name>+<key id>+base64(0x01 || seed), and its key id is the vkey's.
func sign(o op) (result, error) {
	var skey, vkey string
	var err error
	if o.Seed == nil {
		skey, vkey, err = note.GenerateKey(rand.Reader, o.Name)
	} else if len(o.Seed) != ed25519.SeedSize {
		err = errors.New("an Ed25519 seed is 32 bytes")
	} else {
		pub := ed25519.NewKeyFromSeed(o.Seed).Public().(ed25519.PublicKey)
		vkey, err = note.NewEd25519VerifierKey(o.Name, pub)
		if err == nil {
			id := strings.Split(vkey, "+")[1]
			skey = "PRIVATE+KEY+" + o.Name + "+" + id + "+" + base64.StdEncoding.EncodeToString(append([]byte{1}, o.Seed...))
		}
	}
	if err != nil {
		return result{}, err
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		return result{}, err
	}
	msg, err := note.Sign(&note.Note{Text: o.Text}, s)
	if err != nil {
		return result{}, err
	}
	return result{OK: true, Note: string(msg), Vkey: vkey}, nil
}

// checkpoint reads a c2sp.org/tlog-checkpoint body with Go's parser of the go.sum database's tree
// notes, of which a checkpoint is the generalisation: the same size and hash lines, later lines ignored.
func checkpoint(text string) (result, error) {
	origin, rest, found := strings.Cut(text, "\n")
	if !found || origin == "" {
		return result{}, errors.New("no origin line")
	}
	t, err := tlog.ParseTree([]byte("go.sum database tree\n" + rest))
	if err != nil {
		return result{}, err
	}
	lines := strings.Split(strings.TrimSuffix(rest, "\n"), "\n")
	r := result{OK: true, Origin: origin, Size: &t.N, Root: &t.Hash}
	if len(lines) > 2 {
		r.Extensions = lines[2:]
	}
	return r, nil
}

func tree(o op) (result, error) {
	var stored []tlog.Hash
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			if x < 0 || x >= int64(len(stored)) {
				return nil, fmt.Errorf("no stored hash %d", x)
			}
			out[i] = stored[x]
		}
		return out, nil
	})
	r := result{OK: true}
	for i, leaf := range o.Leaves {
		hashes, err := tlog.StoredHashes(int64(i), leaf, reader)
		if err != nil {
			return result{}, err
		}
		stored = append(stored, hashes...)
		r.LeafHashes = append(r.LeafHashes, tlog.RecordHash(leaf))
	}
	sizes := o.Sizes
	if sizes == nil {
		sizes = []int64{int64(len(o.Leaves))}
	}
	for _, n := range sizes {
		if n < 0 || n > int64(len(o.Leaves)) {
			return result{}, fmt.Errorf("no tree of size %d", n)
		}
		h, err := tlog.TreeHash(n, reader)
		if err != nil {
			return result{}, err
		}
		r.Roots = append(r.Roots, h)
	}
	for _, rec := range o.Records {
		p, err := tlog.ProveRecord(rec[1], rec[0], reader)
		if err != nil {
			return result{}, fmt.Errorf("record %d of %d: %w", rec[0], rec[1], err)
		}
		r.RecordProofs = append(r.RecordProofs, nonNil(p))
	}
	for _, t := range o.Trees {
		p, err := tlog.ProveTree(t[1], t[0], reader)
		if err != nil {
			return result{}, fmt.Errorf("tree %d to %d: %w", t[0], t[1], err)
		}
		r.TreeProofs = append(r.TreeProofs, nonNil(p))
	}
	return r, nil
}

// hashes reads a proof and its roots as tlog hashes; any of another length than 32 bytes is an error.
func hashes(proof [][]byte, roots ...[]byte) ([]tlog.Hash, []tlog.Hash, error) {
	read := func(bs [][]byte) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(bs))
		for i, b := range bs {
			if len(b) != tlog.HashSize {
				return nil, fmt.Errorf("malformed hash: %d bytes", len(b))
			}
			copy(out[i][:], b)
		}
		return out, nil
	}
	p, err := read(proof)
	if err != nil {
		return nil, nil, err
	}
	r, err := read(roots)
	return p, r, err
}

// nonNil keeps an empty proof an empty JSON list rather than null.
func nonNil(p []tlog.Hash) []tlog.Hash {
	if p == nil {
		return []tlog.Hash{}
	}
	return p
}
