package app

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/muesli/termenv"
	"github.com/spf13/cobra"

	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/render"
	"github.com/dslab-kr/dslab/lessons"
)

// Widths accepted by `dslab lessons show --width`.
const (
	minShowWidth     = 40
	defaultShowWidth = 80
	maxAutoWidth     = 120 // a wider terminal still gets 120-column text
)

func newLessonsCommand(env Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "lessons",
		Short: "강의 목록을 보여 줍니다",
		Long:  "강의 목록(순서, ID, 제목, 예상 시간)을 보여 줍니다.\n강의 내용은 dslab lessons show <ID> 로 봅니다.",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			course, err := loadCourse()
			if err != nil {
				return err
			}
			writeLessonList(env.textOut(), course)
			return nil
		},
	}
	cmd.AddCommand(newLessonsShowCommand(env))
	return cmd
}

func newLessonsShowCommand(env Env) *cobra.Command {
	var (
		plain bool
		width int
	)
	cmd := &cobra.Command{
		Use:   "show <ID>",
		Short: "강의 하나를 터미널에 출력합니다",
		Long: "강의 하나를 렌더링해 출력합니다. <ID> 대신 강의 번호를 써도 됩니다.\n" +
			"--plain 은 색과 제어 문자(ANSI escape) 없이 출력합니다.",
		Example: "  dslab lessons show what-is-daemonset\n  dslab lessons show 1 --plain --width 60",
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			course, err := lessons.Course()
			if err != nil {
				return nil, cobra.ShellCompDirectiveError
			}
			return lessons.IDs(course), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			course, err := loadCourse()
			if err != nil {
				return err
			}
			if len(args) != 1 {
				return usageError("강의 ID 를 하나 지정하세요.\n%s", validLessonIDs(course))
			}
			l, ok := findLesson(course, args[0])
			if !ok {
				msg := fmt.Sprintf("강의 %q %s 찾을 수 없습니다.", args[0], hangul.EulReul(args[0]))
				if s := didYouMean(suggest(args[0], lessons.IDs(course))); s != "" {
					msg += " " + s
				}
				if n := otherKindNote(args[0], catalogExerciseIDs(), "연습", "dslab exercise show"); n != "" {
					// An exercise's ID (issue 14: lessons show gpu_only);
					// last, since it ends with a command.
					msg += " " + n
				}
				return usageError("%s\n%s", msg, validLessonIDs(course))
			}
			if cmd.Flags().Changed("width") {
				if width < minShowWidth || width > render.MaxWidth {
					return badFlagValue("--width", strconv.Itoa(width), fmt.Sprintf("%d 에서 %d 사이의 칸 수를 쓰세요", minShowWidth, render.MaxWidth))
				}
			} else {
				out, _ := terminalWidth(env.Streams.Out)
				tty := 0
				if out == 0 && env.TTYWidth != nil {
					tty, _ = env.TTYWidth()
				}
				columns := ""
				if env.Getenv != nil {
					columns = env.Getenv("COLUMNS")
				}
				width = showWidth(out, columns, tty)
			}
			render.NarrowAmbiguousWidth()
			profile := termenv.NewOutput(env.Streams.Out).EnvColorProfile()
			r, err := render.New(render.Options{Plain: plain, Profile: profile})
			if err != nil {
				return err
			}
			// Quiz answers stay folded where they are asked, listed at the end.
			r = r.WithAnswers(render.AnswersAtEnd, "(정답은 맨 끝 '"+render.AnswersHeading+"'에 있습니다)")
			out, err := r.Render(lessonMarkdown(l), width)
			if err != nil {
				return &ExitError{Code: ExitFailure, Err: fmt.Errorf("강의 %q %s 렌더링하지 못했습니다(render): %w", l.ID, hangul.EulReul(l.ID), err)}
			}
			_, err = io.WriteString(env.Streams.Out, out) // raw: rendered by internal/render to --width
			return err
		},
	}
	cmd.Flags().BoolVar(&plain, "plain", false, "색과 제어 문자 없이 일반 텍스트로 출력합니다")
	cmd.Flags().IntVar(&width, "width", defaultShowWidth, "줄바꿈 폭(칸 수); 기본값은 터미널 폭(최대 120; 파이프로 보낼 때는 COLUMNS, 없으면 이 터미널의 폭) 또는 80")
	return cmd
}

// showWidth is the width `dslab lessons show` renders at without --width:
// stdout's own width when it is a terminal (out > 0); else $COLUMNS when
// set (the learner's explicit choice); else the controlling terminal's
// width (tty > 0: `dslab lessons show 1 | less` is read in that terminal,
// and rendered at 80 it wrapped in a wide one or overflowed a narrow one);
// else 80. A terminal width is kept between minShowWidth and maxAutoWidth.
func showWidth(out int, columns string, tty int) int {
	cols, err := strconv.Atoi(strings.TrimSpace(columns))
	if err != nil {
		cols = 0
	}
	w := defaultShowWidth
	switch {
	case out > 0:
		w = out
	case cols > 0:
		w = cols
	case tty > 0:
		w = tty
	}
	return min(max(w, minShowWidth), maxAutoWidth)
}

// noArgs rejects arguments with a Korean usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError("'%s' 는 인수를 받지 않습니다: %s", cmd.CommandPath(), strings.Join(args, " "))
	}
	return nil
}

func loadCourse() ([]lessons.Lesson, error) {
	course, err := lessons.Course()
	if err != nil {
		return nil, &ExitError{Code: ExitFailure, Err: fmt.Errorf("강의 파일을 읽지 못했습니다(lessons): %w", err)}
	}
	return course, nil
}

// findLesson finds a lesson by id or by order number.
func findLesson(course []lessons.Lesson, arg string) (lessons.Lesson, bool) {
	if l, ok := lessons.Find(course, arg); ok {
		return l, true
	}
	if n, err := strconv.Atoi(arg); err == nil {
		for _, l := range course {
			if l.Order == n {
				return l, true
			}
		}
	}
	return lessons.Lesson{}, false
}

func validLessonIDs(course []lessons.Lesson) string {
	var b strings.Builder
	b.WriteString("사용할 수 있는 강의 ID:")
	for _, l := range course {
		fmt.Fprintf(&b, "\n  %2d  %s", l.Order, l.ID)
	}
	return b.String()
}

// lessonMarkdown is the lesson with its title and length on top (the body
// itself has no H1).
func lessonMarkdown(l lessons.Lesson) string {
	meta := fmt.Sprintf("%d번째 강의 · 약 %d분", l.Order, l.Minutes)
	if len(l.Exercises) > 0 {
		meta += " · 관련 실습: " + strings.Join(l.Exercises, ", ")
	}
	return fmt.Sprintf("# %s\n\n%s\n\n%s", l.Title, meta, l.Body)
}

// writeLessonList prints the course as aligned columns; widths are terminal
// cells, so Hangul titles line up.
func writeLessonList(t textOut, course []lessons.Lesson) {
	var rows [][]string
	for _, l := range course {
		rows = append(rows, []string{strconv.Itoa(l.Order), l.ID, l.Title, fmt.Sprintf("%d분", l.Minutes)})
	}
	writeTableFit(t, []string{"#", "ID", "제목", "시간"}, rows, 0, 3)
}

// otherKindNote says that typed is (or is close to) the ID of something of
// another kind — "gpu-only 는 연습입니다: dslab exercise show gpu-only" —
// when suggest finds it among ids; "" otherwise.
func otherKindNote(typed string, ids []string, kind, show string) string {
	s := suggest(typed, ids)
	if len(s) == 0 {
		return ""
	}
	id := s[0]
	return fmt.Sprintf("%s %s %s입니다: %s %s", id, hangul.EunNeun(id), kind, show, id)
}

// catalogExerciseIDs are the exercises' IDs (none when the catalog cannot load).
func catalogExerciseIDs() []string {
	c, err := loadCatalog()
	if err != nil {
		return nil
	}
	return c.IDs()
}

// lessonIDs are the lessons' IDs (none when the course cannot load).
func lessonIDs() []string {
	course, err := lessons.Course()
	if err != nil {
		return nil
	}
	return lessons.IDs(course)
}
