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
// Commands follow kubernetes.io/ko: a fenced code block with the language
// "shell" holds only commands, as the learner pastes them — no "$ " prompt,
// no output (a line ending in "\" continues on the next one). What a
// command prints, when the lesson shows it, is a "text" block right after
// it, introduced by a short line that ends in ":", e.g.
//
//	```shell
//	kubectl get ds agent
//	```
//
//	출력은 다음과 비슷합니다:
//
//	```text
//	NAME    DESIRED   CURRENT ...
//	```
//
// A block followed by output holds that one command, so that the output is
// unambiguously its own; consecutive commands without output may share a
// block (each must succeed). Output lines that are just "..." or "…", and "…"
// inside a line, stand for output the lesson leaves out. A table whose header
// shows only some of kubectl's columns is compared on those columns. A
// "console" block (a transcript with a prompt and output mixed in) is an
// error: pasted as shown, bash runs "$" and the output lines as commands.
//
// A command the lab cannot show (it needs a real container: exec, the
// content of logs, port-forward, curl to a pod; or it never ends, like -w)
// is written "```shell norun" and must directly follow a blockquote the
// reader sees that says why (or another norun block and its output: one
// note covers a run of them), e.g.
//
//	> 이 출력은 실제 컨테이너가 필요해 랩에서는 볼 수 없습니다.
//
// Command blocks made only of `dslab exercise …` and `dslab grade …` commands
// are the exercise instructions at the end of a lesson; they are not replayed
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

// Block is one shell code block (its commands and the output shown after it).
type Block struct {
	Line     int // 1-based line of the opening fence in the lesson body
	Commands []Command
	// Skip is the reason the block is not replayed ("" = replayed): the
	// reader-visible note of a norun block, or the exercise reason.
	Skip string
}

// Command is one command of a shell block and the output the lesson shows for it.
type Command struct {
	Line     int    // 1-based line in the lesson body
	Text     string // the command as typed, continuation lines joined with "\n"
	Expected []string
}

// ExerciseReason is the Skip reason of exercise-instruction blocks.
const ExerciseReason = "연습 문제 안내 (exercise instructions): 풀이는 학습자의 몫이고, 각 연습의 모범 답안은 exercises 테스트가 채점합니다"

// Parse returns the file blocks and command blocks of a lesson body in
// order, each command with the output shown after it. It fails on a
// "console" block, a "$ " prompt in a shell block, output not introduced or
// after a block of several commands, a norun block without a note, or a file
// block without a name.
func Parse(body string) ([]Step, error) {
	src := []byte(body)
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(src))
	var steps []Step
	var errs []error
	shellSteps := map[ast.Node]int{} // shell block -> index of its step
	notes := map[ast.Node]string{}   // norun block or its output -> the note
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
		if lang == "console" {
			errs = append(errs, fmt.Errorf("line %d: a \"console\" transcript mixes a \"$ \" prompt and output into the commands; write the commands in a \"shell\" block and the output in a \"text\" block after a line like %q", line, OutputIntro))
			return ast.WalkSkipChildren, nil
		}
		if lang == "bash" || lang == "sh" {
			errs = append(errs, fmt.Errorf("line %d: write commands in a \"shell\" block (a %q block would not be replayed)", line, lang))
			return ast.WalkSkipChildren, nil
		}
		if lang == "text" {
			b, err := attachOutput(cb, src, line, content.String(), shellSteps, steps)
			if err != nil {
				errs = append(errs, err)
			}
			if b != nil && b.Skip != "" && b.Skip != ExerciseReason {
				notes[cb] = b.Skip
			}
			return ast.WalkSkipChildren, nil
		}
		if lang != "shell" {
			return ast.WalkSkipChildren, nil
		}
		b, err := parseBlock(content.String(), line)
		if err != nil {
			errs = append(errs, err)
			return ast.WalkSkipChildren, nil
		}
		if _, norun := opts["norun"]; norun {
			// the note of the blockquote right before, or of the norun
			// command (and its output) right before: one note for a run
			// of norun commands
			note := notes[cb.PreviousSibling()]
			if q, ok := cb.PreviousSibling().(*ast.Blockquote); ok {
				note = strings.Join(strings.Fields(plainText(q, src)), " ")
			}
			if note == "" {
				errs = append(errs, fmt.Errorf("line %d: a \"shell norun\" block must directly follow a blockquote (>) that tells the reader why the lab cannot show it", line))
				return ast.WalkSkipChildren, nil
			}
			b.Skip = note
			notes[cb] = note
		} else if isExerciseBlock(b) {
			b.Skip = ExerciseReason
		} else {
			for _, c := range b.Commands {
				if f := strings.Fields(c.Text); len(f) == 0 || (f[0] != "kubectl" && f[0] != "dslab") {
					errs = append(errs, fmt.Errorf("line %d: only kubectl and dslab commands can be replayed on the lab; mark the block \"shell norun\" after a note for the reader", c.Line))
				}
			}
		}
		shellSteps[cb] = len(steps)
		steps = append(steps, Step{Block: &b})
		return ast.WalkSkipChildren, nil
	})
	return steps, errors.Join(errs...)
}

// OutputIntro is the line that introduces a command's output in the
// lessons, as kubernetes.io/ko does.
const OutputIntro = "출력은 다음과 비슷합니다:"

// parseBlock reads the commands of a shell block: one per line, a line
// ending in "\" continued on the next; blank lines are skipped.
func parseBlock(content string, line int) (Block, error) {
	b := Block{Line: line}
	lines := strings.Split(strings.TrimRight(content, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" {
			continue
		}
		if t := strings.TrimSpace(l); t == "$" || strings.HasPrefix(t, "$ ") {
			return b, fmt.Errorf("line %d: a shell block holds the commands as they are pasted, without a \"$ \" prompt (bash: $: command not found)", line+1+i)
		}
		cmd := Command{Line: line + 1 + i, Text: l}
		for strings.HasSuffix(cmd.Text, `\`) && i+1 < len(lines) {
			i++
			cmd.Text += "\n" + lines[i]
		}
		b.Commands = append(b.Commands, cmd)
	}
	if len(b.Commands) == 0 {
		return b, fmt.Errorf("line %d: empty shell block", line)
	}
	return b, nil
}

// attachOutput makes a text block the output of the command before it when
// it follows a one-command shell block and an intro line ending in ":". A
// text block elsewhere is not output (an example, a calculation).
func attachOutput(cb *ast.FencedCodeBlock, src []byte, line int, content string, shellSteps map[ast.Node]int, steps []Step) (*Block, error) {
	prev := cb.PreviousSibling()
	if _, ok := shellSteps[prev]; ok {
		return nil, fmt.Errorf("line %d: output right after the command block: introduce it with a line like %q", line, OutputIntro)
	}
	p, ok := prev.(*ast.Paragraph)
	if !ok {
		return nil, nil
	}
	i, ok := shellSteps[p.PreviousSibling()]
	if !ok {
		return nil, nil
	}
	if intro := strings.TrimSpace(plainText(p, src)); !strings.HasSuffix(intro, ":") {
		return nil, fmt.Errorf("line %d: the line between a command block and its output must introduce the output and end in \":\" (like %q), not %q", line, OutputIntro, intro)
	}
	b := steps[i].Block
	if len(b.Commands) != 1 {
		return nil, fmt.Errorf("line %d: output follows a block of %d commands: give the command whose output this is a block of its own", line, len(b.Commands))
	}
	c := &b.Commands[0]
	if len(c.Expected) > 0 {
		return nil, fmt.Errorf("line %d: a second output block for the command on line %d", line, c.Line)
	}
	exp := strings.Split(strings.TrimRight(content, "\n"), "\n")
	for len(exp) > 0 && strings.TrimSpace(exp[len(exp)-1]) == "" {
		exp = exp[:len(exp)-1]
	}
	if len(exp) == 0 {
		return nil, fmt.Errorf("line %d: empty output block", line)
	}
	c.Expected = exp
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
