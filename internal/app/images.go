package app

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/cluster/kind"
	"github.com/dslab-kr/dslab/internal/hangul"
)

func newImagesCommand(env Env) *cobra.Command {
	var image string
	cmd := &cobra.Command{
		Use:   "images",
		Short: "오프라인 실습 키트(offline kit): 노드 이미지와 실습 이미지를 한 파일로 저장하고 적재합니다",
		Long: "강의장 Wi-Fi 에서 아무것도 내려받지 않도록, 네트워크가 되는 곳에서 이미지 묶음을 만들어 두었다가\n" +
			"수강생 컴퓨터에 적재합니다.\n\n" +
			"  dslab images save dslab-images.tar     kind 노드 이미지와 모든 실습 이미지를 저장 (.gz/.tgz 면 gzip 압축)\n" +
			"  dslab images load dslab-images.tar     컨테이너 엔진과 실행 중인 kind 노드에 적재\n" +
			"  dslab images list                      묶음에 들어가는 이미지 목록",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.PersistentFlags().StringVar(&image, "image", "", "kind 노드 이미지(node image) (기본값: kind 의 기본 이미지)")
	runtime := func() *kind.Runtime {
		return kind.New(env.Paths, kind.WithImage(image), kind.WithLogger(env.Logger()))
	}

	list := &cobra.Command{
		Use:   "list",
		Short: "오프라인 키트에 들어가는 이미지를 보여 줍니다",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			imgs, err := runtime().KitImages()
			if err != nil {
				return err
			}
			for _, img := range imgs {
				fmt.Fprintln(env.Streams.Out, img) // raw: one image per line for scripts
			}
			return nil
		},
	}

	save := &cobra.Command{
		Use:   "save FILE",
		Short: "노드 이미지와 모든 실습 이미지를 FILE 하나에 저장합니다 (없는 이미지는 먼저 내려받음)",
		Args:  exactFileArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			file, err := filepath.Abs(args[0])
			if err != nil {
				return usageError("파일 경로 %q %s 올바르지 않습니다: %v", args[0], hangul.IGa(args[0]), err)
			}
			if fi, err := os.Stat(filepath.Dir(file)); err != nil || !fi.IsDir() {
				return usageError("디렉터리 %s %s 없습니다", filepath.Dir(file), hangul.IGa(filepath.Dir(file)))
			}
			refs, err := runtime().SaveImages(cmd.Context(), file, progressPrinter(newTextOut(env, env.Streams.Err, 0)))
			if err != nil {
				return err
			}
			size := ""
			if fi, err := os.Stat(file); err == nil {
				size = fmt.Sprintf(" (%s)", humanBytes(uint64(fi.Size())))
			}
			env.textOut().Printf("이미지 %d개를 %s 에 저장했습니다%s.\n수강생 컴퓨터에서: dslab images load %s\n", len(refs), file, size, filepath.Base(file))
			return nil
		},
	}

	var name string
	load := &cobra.Command{
		Use:   "load FILE",
		Short: "FILE 의 이미지를 컨테이너 엔진과 실행 중인 kind 클러스터의 모든 노드에 적재합니다",
		Args:  exactFileArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := validateClusterName(name); err != nil {
				return err
			}
			res, err := runtime().LoadImages(cmd.Context(), name, args[0], progressPrinter(newTextOut(env, env.Streams.Err, 0)))
			if err != nil {
				return err
			}
			env.textOut().Printf("이미지 %d개를 컨테이너 엔진에 적재했습니다.\n", len(res.Images))
			if len(res.Nodes) > 0 {
				env.textOut().Printf("kind 노드 %d개에도 실습 이미지를 넣었습니다.\n", len(res.Nodes))
			}
			return nil
		},
	}
	load.Flags().StringVar(&name, "name", cluster.DefaultName, "이미지를 넣을 kind 클러스터 이름")

	cmd.AddCommand(list, save, load)
	return cmd
}

func exactFileArg(cmd *cobra.Command, args []string) error {
	if len(args) != 1 || args[0] == "" {
		return usageError("파일 하나를 지정하세요: dslab images %s FILE", cmd.Name())
	}
	return nil
}
