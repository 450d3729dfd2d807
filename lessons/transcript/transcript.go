// Package transcript reads the shell transcripts and file blocks of dslab's
// lessons so that a test can replay them on the lab and compare what the lab
// prints with what the lesson shows.
//
// # Markdown conventions (lessons/README.md repeats them for lesson authors)
//
// A fenced code block whose info string is "<lang> file=<name>" is a file the
// lesson asks the learner to save, e.g.
//
//	```yaml file=agent.yaml
//	apiVersion: apps/v1
//	...
//	```
//
// Only the first word of the info string is the language, so readers render
// it as an ordinary yaml block. A later block with the same file name is the
// new content of that file (the learner edits the file); the replay writes
// each file block at its place in the lesson, so `kubectl apply -f agent.yaml`
// applies the content shown last above it.
//
// A fenced code block with the language "console" is a transcript: lines
// starting with "$ " are commands (a command line ending in "\" continues on
// the next line), the lines up to the next command are its printed output.
// Output lines that are just "..." or "…", and "…" inside a line, stand for
// output the lesson leaves out. A table whose header shows only some of
// kubectl's columns is compared on those columns.
//
// A transcript the lab cannot show (it needs a real container: exec, the
// content of logs, port-forward, curl to a pod; or it never ends, like -w)
// is written "```console norun" and must directly follow a blockquote the
// reader sees that says why, e.g.
//
//	> 이 출력은 실제 컨테이너가 필요해 랩에서는 볼 수 없습니다.
//
// Transcripts made only of `dslab exercise …` and `dslab grade …` commands are
// the exercise instructions at the end of a lesson; they are not replayed
// (the exercise tests grade each exercise's reference solution).
package transcript

import (
	"errors"
	"fmt"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// Step is one thing a learner does while reading a lesson, in lesson order:
// save a file (File set) or type a transcript (Block set).
type Step struct {
	File  *File
	Block *Block
}

// File is a code block the lesson names as a file.
type File struct {
	Name    string
	Content string
	Line    int // 1-based line of the opening fence in the lesson body
}

// Block is one console code block.
type Block struct {
	Line     int // 1-based line of the opening fence in the lesson body
	Commands []Command
	// Skip is the reason the block is not replayed ("" = replayed): the
	// reader-visible note of a norun block, or the exercise reason.
	Skip string
}

// Command is one "$ " command of a transcript and the output shown under it.
type Command struct {
	Line     int    // 1-based line in the lesson body
	Text     string // the command as typed, continuation lines joined with "\n"
	Expected []string
}

// ExerciseReason is the Skip reason of exercise-instruction blocks.
const ExerciseReason = "연습 문제 안내 (exercise instructions): 풀이는 학습자의 몫이고, 각 연습의 모범 답안은 exercises 테스트가 채점합니다"

// Parse returns the file blocks and transcripts of a lesson body in order.
// It fails on a norun block without a blockquote note right before it, a
// file block without a name, or a console block with output before its first
// command.
func Parse(body string) ([]Step, error) {
	src := []byte(body)
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(src))
	var steps []Step
	var errs []error
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		cb, ok := n.(*ast.FencedCodeBlock)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		info := ""
		if cb.Info != nil {
			info = string(cb.Info.Segment.Value(src))
		}
		words := strings.Fields(info)
		var content strings.Builder
		for i := 0; i < cb.Lines().Len(); i++ {
			seg := cb.Lines().At(i)
			content.Write(seg.Value(src))
		}
		line := fenceLine(cb, src)
		lang := ""
		if len(words) > 0 {
			lang = words[0]
		}
		opts := map[string]string{}
		for _, w := range words[min(1, len(words)):] {
			k, v, _ := strings.Cut(w, "=")
			opts[k] = v
		}
		if name, ok := opts["file"]; ok {
			if name == "" || strings.ContainsAny(name, `/\`) {
				errs = append(errs, fmt.Errorf("line %d: file=%q must be a plain file name", line, name))
				return ast.WalkSkipChildren, nil
			}
			steps = append(steps, Step{File: &File{Name: name, Content: content.String(), Line: line}})
			return ast.WalkSkipChildren, nil
		}
		if lang != "console" {
			return ast.WalkSkipChildren, nil
		}
		b, err := parseBlock(content.String(), line)
		if err != nil {
			errs = append(errs, err)
			return ast.WalkSkipChildren, nil
		}
		if _, norun := opts["norun"]; norun {
			q, ok := cb.PreviousSibling().(*ast.Blockquote)
			note := ""
			if ok {
				note = strings.Join(strings.Fields(plainText(q, src)), " ")
			}
			if note == "" {
				errs = append(errs, fmt.Errorf("line %d: a \"console norun\" block must directly follow a blockquote (>) that tells the reader why the lab cannot show it", line))
				return ast.WalkSkipChildren, nil
			}
			b.Skip = note
		} else if isExerciseBlock(b) {
			b.Skip = ExerciseReason
		} else {
			for _, c := range b.Commands {
				if f := strings.Fields(c.Text); len(f) == 0 || (f[0] != "kubectl" && f[0] != "dslab") {
					errs = append(errs, fmt.Errorf("line %d: only kubectl and dslab commands can be replayed on the lab; mark the block \"console norun\" after a note for the reader", c.Line))
				}
			}
		}
		steps = append(steps, Step{Block: &b})
		return ast.WalkSkipChildren, nil
	})
	return steps, errors.Join(errs...)
}

func parseBlock(content string, line int) (Block, error) {
	b := Block{Line: line}
	lines := strings.Split(strings.TrimRight(content, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.HasPrefix(l, "$ ") || l == "$" {
			cmd := Command{Line: line + 1 + i, Text: strings.TrimPrefix(l, "$ ")}
			for strings.HasSuffix(cmd.Text, `\`) && i+1 < len(lines) {
				i++
				cmd.Text += "\n" + lines[i]
			}
			b.Commands = append(b.Commands, cmd)
			continue
		}
		if len(b.Commands) == 0 {
			if strings.TrimSpace(l) == "" {
				continue
			}
			return b, fmt.Errorf("line %d: console block has output before its first \"$ \" command", line+1+i)
		}
		c := &b.Commands[len(b.Commands)-1]
		c.Expected = append(c.Expected, l)
	}
	for i := range b.Commands {
		c := &b.Commands[i]
		for len(c.Expected) > 0 && strings.TrimSpace(c.Expected[len(c.Expected)-1]) == "" {
			c.Expected = c.Expected[:len(c.Expected)-1]
		}
	}
	return b, nil
}

func isExerciseBlock(b Block) bool {
	if len(b.Commands) == 0 {
		return false
	}
	for _, c := range b.Commands {
		f := strings.Fields(c.Text)
		if len(c.Expected) > 0 || len(f) < 2 || f[0] != "dslab" || (f[1] != "exercise" && f[1] != "grade") {
			return false
		}
	}
	return true
}

// fenceLine is the 1-based line of the opening fence of cb.
func fenceLine(cb *ast.FencedCodeBlock, src []byte) int {
	if cb.Info != nil {
		return lineOf(src, cb.Info.Segment.Start)
	}
	if cb.Lines().Len() > 0 {
		return lineOf(src, cb.Lines().At(0).Start) - 1
	}
	return 0
}

func lineOf(src []byte, off int) int {
	return strings.Count(string(src[:max(0, min(off, len(src)))]), "\n") + 1
}

func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.CodeSpan:
			for ch := t.FirstChild(); ch != nil; ch = ch.NextSibling() {
				if tx, ok := ch.(*ast.Text); ok {
					b.Write(tx.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// Mutates reports whether a command may change the cluster (it is then run
// exactly once); read-only commands (kubectl get, describe, rollout status,
// rollout history, and pipelines starting with them) may be retried until
// their output matches.
func Mutates(cmd string) bool {
	f := strings.Fields(strings.ReplaceAll(cmd, "\\\n", " "))
	if len(f) >= 2 && f[0] == "dslab" && f[1] == "kubectl" {
		f = f[1:]
	}
	if len(f) < 2 || f[0] != "kubectl" {
		return true
	}
	switch f[1] {
	case "get", "describe", "explain", "api-resources", "version":
		return false
	case "rollout":
		return !(len(f) >= 3 && (f[2] == "status" || f[2] == "history"))
	}
	return true
}
