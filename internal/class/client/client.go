// Package client is the student side of a dslab class: credentials kept in
// the config dir (0600), an on-disk outbox that holds every submission
// (written atomically before it is sent) until the server acknowledges it,
// and the HTTP calls of package api.
package client

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dslab-kr/dslab/internal/atomicfile"
	"github.com/dslab-kr/dslab/internal/class/api"
)

// Credentials are what `dslab class join` stores.
type Credentials struct {
	Server    string    `json:"server"`
	Token     string    `json:"token"`
	RosterID  string    `json:"rosterId"`
	Name      string    `json:"name"`
	Class     string    `json:"class"`
	MachineID string    `json:"machineId"`
	Joined    time.Time `json:"joined"`
	// CommandCursor is api.JoinResponse.CommandCursor of this join: the
	// applier moves past one-shot commands up to it without applying them.
	CommandCursor int64 `json:"commandCursor,omitempty"`
	// Exercises are the class's exercise ids (api.JoinResponse.Exercises,
	// refreshed from api.MeResponse.Exercises); empty when the server did
	// not say (an older server: every catalog exercise).
	Exercises []string `json:"exercises,omitempty"`
}

// Dir is the class directory inside dslab's config dir.
func Dir(configDir string) string { return filepath.Join(configDir, "class") }

// CredentialsFile is where the credentials are kept.
func CredentialsFile(configDir string) string {
	return filepath.Join(Dir(configDir), "credentials.json")
}

// OutboxDir is where pending submissions wait (in the data dir).
func OutboxDir(dataDir string) string { return filepath.Join(dataDir, "class", "outbox") }

// WaitingText is the one Korean line of n submissions waiting in the
// outbox for the server, as the lab's class line and `dslab class status`
// say it ("제출 대기 1건 (서버에 다시 연결되면 보냅니다)"); "" for none
// (the instructor trial on f9ad301: a pass made while the server was down
// waited with no sign of it until it arrived).
func WaitingText(n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf("제출 대기 %d건 (서버에 다시 연결되면 보냅니다)", n)
}

// LoadCredentials reads the credentials; (nil, nil) when not joined.
func LoadCredentials(configDir string) (*Credentials, error) {
	b, err := os.ReadFile(CredentialsFile(configDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var c Credentials
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", CredentialsFile(configDir), err)
	}
	return &c, nil
}

// SaveCredentials writes c (mode 0600) atomically.
func SaveCredentials(configDir string, c Credentials) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(CredentialsFile(configDir), append(b, '\n'))
}

// RemoveCredentials forgets the credentials (nil when there were none).
func RemoveCredentials(configDir string) error {
	err := os.Remove(CredentialsFile(configDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// MachineID returns this machine's random id (created on first use in the
// config dir).
func MachineID(configDir string) (string, error) {
	path := filepath.Join(Dir(configDir), "machine-id")
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 8 {
		return strings.TrimSpace(string(b)), nil
	}
	id := randomHex(16)
	if err := WriteFileAtomic(path, []byte(id+"\n")); err != nil {
		return "", err
	}
	return id, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// WriteFileAtomic writes data to path (mode 0600) through a synced
// temporary file, a rename and a directory sync (atomicfile.WriteFile):
// after it returns the file is on disk whole, and a crash before leaves no
// partial file.
func WriteFileAtomic(path string, data []byte) error {
	return atomicfile.WriteFile(path, data, 0o700)
}

// syncDir syncs a directory, so renames and removals in it are on disk.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Outbox is a directory of pending submissions, one file each, named so
// that they sort in the order they were made.
type Outbox struct{ Dir string }

// Item is one pending submission.
type Item struct {
	// File is the item's path.
	File string `json:"-"`
	// Waiting is set by Enqueue when it added nothing: this item, already
	// in the outbox, holds the same snapshot.
	Waiting bool `json:"-"`
	api.SubmitRequest
}

// Enqueue writes a new submission with a fresh idempotency key to the
// outbox and returns it; only after Enqueue returns is it sent.
//
// When the newest item of the exercise still waiting in the outbox holds
// the same snapshot apart from its capture time (api.SameSnapshot), it
// adds nothing and returns that item with Waiting set: the cluster did not
// change, so it is not a new attempt (issue 12: six `class submit --all`
// runs against an unchanged cluster while the server was down sent 15
// copies). The earlier item is kept, not replaced, because its capture
// time is when the student reached that state (what the board and a
// freeze judge) and because it may be in flight from another process
// already; a later capture of the same state adds nothing. Two different
// snapshots are both kept, in order (A, B, A is three items).
func (o Outbox) Enqueue(exercise string, snapshot json.RawMessage, createdAt time.Time) (Item, error) {
	if prev, ok := o.newestPending(exercise); ok && api.SameSnapshot(prev.Snapshot, snapshot) {
		prev.Waiting = true
		return prev, nil
	}
	key := randomHex(16)
	it := Item{SubmitRequest: api.SubmitRequest{IdempotencyKey: key, Exercise: exercise, CreatedAt: createdAt.UTC(), Snapshot: snapshot}}
	b, err := json.Marshal(it.SubmitRequest)
	if err != nil {
		return it, err
	}
	it.File = filepath.Join(o.Dir, fmt.Sprintf("%020d-%s.json", time.Now().UnixNano(), key))
	if err := WriteFileAtomic(it.File, b); err != nil {
		return it, fmt.Errorf("제출을 보낼 편지함(outbox)에 저장할 수 없습니다: %w", err)
	}
	return it, nil
}

// Pending lists the items waiting, oldest first. An unreadable item (it
// cannot have been half-written) is moved aside to rejected/.
func (o Outbox) Pending() ([]Item, error) {
	entries, err := os.ReadDir(o.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Item
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		path := filepath.Join(o.Dir, e.Name())
		b, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue // sent by another process meanwhile
		}
		if err != nil {
			return out, err
		}
		it := Item{File: path}
		if err := json.Unmarshal(b, &it.SubmitRequest); err != nil {
			o.reject(path, "읽을 수 없는 항목: "+err.Error())
			continue
		}
		out = append(out, it)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out, nil
}

// newestPending is the newest item of exercise waiting in the outbox.
// An unreadable outbox is none: Enqueue then adds its item.
func (o Outbox) newestPending(exercise string) (Item, bool) {
	items, err := o.Pending()
	if err != nil {
		return Item{}, false
	}
	for i := len(items) - 1; i >= 0; i-- {
		if items[i].Exercise == exercise {
			return items[i], true
		}
	}
	return Item{}, false
}

// Rejected lists the items the server refused (kept for the student to
// see; they are not retried).
func (o Outbox) Rejected() ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(o.Dir, "rejected"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			out = append(out, e.Name())
		}
	}
	return out, err
}

func (o Outbox) reject(path, reason string) {
	dir := filepath.Join(o.Dir, "rejected")
	os.MkdirAll(dir, 0o700)
	dst := filepath.Join(dir, filepath.Base(path))
	WriteFileAtomic(dst+".reason.txt", []byte(reason+"\n"))
	os.Rename(path, dst)
	syncDir(o.Dir)
}

func (o Outbox) done(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return syncDir(o.Dir)
}

// APIError is a non-2xx answer of the server.
type APIError struct {
	Status  int
	Code    string
	Message string // Korean, from the server
	// Rejoin is api.Error.Rejoin: on a refused student token, whether
	// this computer can join again without the instructor's approval.
	Rejoin string
	// Class is api.Error.Class: on a refused student token, the class's
	// title as the server has it now ("" from an older server).
	Class string
	// Body is the start of an answer that was not the API's JSON (another
	// web server on that address, a proxy's page), for the technical part.
	Body string
}

// Error is the server's Korean message first, then the technical part in
// parentheses: the HTTP status and the API's code, or the first words of
// an answer that was not the API's (issue 12: a wrong join code said only
// the Korean sentence).
func (e *APIError) Error() string {
	if e.Message != "" {
		return e.Message + " (" + e.Technical() + ")"
	}
	return "서버가 요청을 받지 않았습니다 (" + e.Technical() + ")"
}

// Technical is the technical part of the answer: "HTTP 403 wrong-code",
// or "HTTP 404: 404 page not found" for an answer without the API's code.
func (e *APIError) Technical() string {
	t := fmt.Sprintf("HTTP %d", e.Status)
	switch {
	case e.Code != "":
		t += " " + e.Code
	case e.Body != "":
		t += ": " + e.Body
	}
	return t
}

// bodyWords is the first line of a non-API answer, at most 80 bytes cut
// at a rune, for APIError.Body.
func bodyWords(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if len(s) > 80 {
		cut := 80
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// IsRemoved reports whether err is the server saying the instructor removed
// this student from the class (HTTP 410, api.CodeRemoved): the client stops
// submitting; the error's message is the server's Korean explanation.
func IsRemoved(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Status == http.StatusGone && ae.Code == api.CodeRemoved
}

// retryable reports whether the request may succeed later unchanged.
func (e *APIError) retryable() bool {
	return e.Status >= 500 || e.Status == http.StatusTooManyRequests || e.Status == http.StatusRequestTimeout
}

// Client talks to a class server.
type Client struct {
	Server string
	Token  string
	HTTP   *http.Client
	Outbox Outbox
	// Now is the client's clock (time.Now when nil).
	Now func() time.Time
	// JoinCursor is Credentials.CommandCursor (Applier.JoinCursor).
	JoinCursor int64
	// OnExercises, when set, is called with the class's exercise list
	// each time Drain asked the server for it (the app keeps it in the
	// credentials: `submit --all` then uses the fresh list).
	OnExercises func(ids []string)
	// Seen keeps the verdicts this machine was shown (SeenVerdicts): Drain
	// notes each answer's the first time; a regrade compares with them.
	Seen SeenVerdicts
}

// New returns a client for creds with a 30 s request timeout.
func New(creds Credentials, dataDir string) *Client {
	return &Client{Server: strings.TrimRight(creds.Server, "/"), Token: creds.Token,
		HTTP: &http.Client{Timeout: 30 * time.Second}, Outbox: Outbox{Dir: OutboxDir(dataDir)},
		JoinCursor: creds.CommandCursor, Seen: SeenVerdicts{Path: SeenVerdictsFile(dataDir)}}
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// call sends a JSON request and decodes a JSON answer into out.
func call(ctx context.Context, hc *http.Client, method, url, token string, in, out any) (int, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode/100 != 2 {
		var e api.Error
		ae := &APIError{Status: resp.StatusCode}
		if json.Unmarshal(b, &e) == nil {
			ae.Code, ae.Message, ae.Rejoin, ae.Class = e.Code, e.Error, e.Rejoin, e.Class
		}
		if ae.Code == "" && ae.Message == "" {
			ae.Body = bodyWords(b)
		}
		return resp.StatusCode, ae
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, fmt.Errorf("서버의 답을 읽을 수 없습니다: %w", err)
		}
	}
	return resp.StatusCode, nil
}

// Join registers with the server at serverURL.
func Join(ctx context.Context, hc *http.Client, serverURL string, req api.JoinRequest) (api.JoinResponse, error) {
	var r api.JoinResponse
	_, err := call(ctx, hc, "POST", strings.TrimRight(serverURL, "/")+api.PathJoin, "", req, &r)
	return r, err
}

// Me returns the student's newest verdicts.
func (c *Client) Me(ctx context.Context) (api.MeResponse, error) {
	var r api.MeResponse
	_, err := call(ctx, c.HTTP, "GET", c.Server+api.PathMe, c.Token, nil, &r)
	return r, err
}

// Send sends one item and, when the server acknowledged it, removes it
// from the outbox. A refusal that cannot succeed later moves it to
// rejected/ and returns the APIError.
func (c *Client) Send(ctx context.Context, it Item) (api.SubmitResponse, error) {
	var r api.SubmitResponse
	req := it.SubmitRequest
	req.SentAt = c.now().UTC()
	_, err := call(ctx, c.HTTP, "POST", c.Server+api.PathSubmissions, c.Token, req, &r)
	var ae *APIError
	switch {
	case err == nil:
		return r, c.Outbox.done(it.File)
	case errors.As(err, &ae) && ae.Status == http.StatusUnauthorized, IsRemoved(err):
		return r, err // keep it: the student joins again, then it drains
	case errors.As(err, &ae) && ae.Code == api.CodeBadExercise:
		// Kept: Drain asks whether the instructor took the exercise out
		// of the class (dropped) or it is a refusal.
		return r, err
	case errors.As(err, &ae) && !ae.retryable():
		c.Outbox.reject(it.File, ae.Error())
		return r, err
	}
	return r, err
}

// DrainResult says what a drain did.
type DrainResult struct {
	Acked    []api.SubmitResponse
	Rejected []error
	// Dropped are queued items of exercises the instructor has taken out
	// of the class since they were made (the server refused one with
	// api.CodeBadExercise and its exercise list, Exercises, no longer
	// has it): set aside in the outbox's DroppedDir, never sent, and not
	// refusals — it is not the student's fault (issue 12).
	Dropped []Item
	// Exercises is the class's exercise list as the server gave it
	// during the drain; nil when it was not asked.
	Exercises []string
	Pending   int
}

// DroppedDir is the outbox's subdirectory for DrainResult.Dropped: a
// local record, never sent, not counted as rejected.
const DroppedDir = "dropped"

// Drain sends the pending items in order until one cannot be delivered
// now (the server is unreachable or busy; it stays for later) or all are.
// Refused items are moved aside and reported in Rejected. An item the
// server refuses as an exercise the class does not have makes Drain ask
// the server for the class's exercise list (Me; OnExercises gets it):
// when the list no longer has the exercise, that item and every later one
// of an exercise outside the list is dropped (DrainResult.Dropped); when
// it does (or the server gives no list), the refusal stands.
func (c *Client) Drain(ctx context.Context) (DrainResult, error) {
	var res DrainResult
	items, err := c.Outbox.Pending()
	if err != nil {
		return res, err
	}
	gone := func(exercise string) bool {
		return len(res.Exercises) > 0 && !slices.Contains(res.Exercises, exercise)
	}
	for i, it := range items {
		if gone(it.Exercise) {
			if err := c.drop(it); err != nil {
				res.Pending = len(items) - i
				return res, err
			}
			res.Dropped = append(res.Dropped, it)
			continue
		}
		r, err := c.Send(ctx, it)
		var ae *APIError
		if errors.As(err, &ae) && ae.Code == api.CodeBadExercise {
			if res.Exercises == nil {
				me, meErr := c.Me(ctx)
				if meErr != nil {
					res.Pending = len(items) - i
					return res, meErr
				}
				res.Exercises = me.Exercises
				if res.Exercises == nil {
					res.Exercises = []string{} // asked: an older server gives no list
				}
				if c.OnExercises != nil && len(me.Exercises) > 0 {
					c.OnExercises(me.Exercises)
				}
			}
			if gone(it.Exercise) {
				if err := c.drop(it); err != nil {
					res.Pending = len(items) - i
					return res, err
				}
				res.Dropped = append(res.Dropped, it)
				continue
			}
			c.Outbox.reject(it.File, ae.Error())
		}
		switch {
		case err == nil:
			res.Acked = append(res.Acked, r)
			c.Seen.NoteFirst([]api.SubmitResponse{r}) // best effort: only a regrade's line needs it
			continue
		case errors.As(err, &ae) && ae.Status != http.StatusUnauthorized && !IsRemoved(err) && !ae.retryable():
			res.Rejected = append(res.Rejected, err)
			continue
		}
		res.Pending = len(items) - i
		return res, err
	}
	return res, nil
}

// drop moves it into the outbox's DroppedDir.
func (o Outbox) drop(it Item) error {
	dir := filepath.Join(o.Dir, DroppedDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if err := os.Rename(it.File, filepath.Join(dir, filepath.Base(it.File))); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := syncDir(dir); err != nil {
		return err
	}
	return syncDir(o.Dir)
}

func (c *Client) drop(it Item) error { return c.Outbox.drop(it) }
