package hangul

import "testing"

func TestParticles(t *testing.T) {
	// want is the word followed by 이/가, 을/를, 은/는, 와/과, (으)로 as a
	// Korean speaker reads it (reading in the comment).
	tests := []struct {
		word                    string
		iga, eul, eun, wa, euro string
	}{
		{"kubectl", "이", "을", "은", "과", "로"},                 // 큐브컨트롤: ㄹ
		{"dslab", "이", "을", "은", "과", "으로"},                  // 디에스랩: ㅂ
		{"dslab/ssd-cache", "가", "를", "는", "와", "로"},         // 캐시
		{"worker2", "가", "를", "는", "와", "로"},                 // 워커투 → 이
		{"dslab-worker3", "이", "을", "은", "과", "으로"},          // 삼
		{"API", "가", "를", "는", "와", "로"},                     // 에이피아이
		{"node-exporter", "가", "를", "는", "와", "로"},           // 익스포터
		{"데몬셋", "이", "을", "은", "과", "으로"},                    // ㅅ
		{"파드", "가", "를", "는", "와", "로"},                      // vowel
		{"레이블", "이", "을", "은", "과", "로"},                     // ㄹ
		{"톨러레이션(toleration)", "이", "을", "은", "과", "으로"},      // 톨러레이션
		{"노드 dslab-control-plane", "이", "을", "은", "과", "으로"}, // 플레인
		{"NoSchedule", "이", "을", "은", "과", "로"},              // 노스케줄: ㄹ
		{"NoExecute", "가", "를", "는", "와", "로"},               // 노익스큐트
		{"DaemonSet", "이", "을", "은", "과", "으로"},              // 데몬셋
		{"kube-system", "이", "을", "은", "과", "으로"},            // 시스템
		{"monitoring", "이", "을", "은", "과", "으로"},             // 모니터링
		{"`monitoring-agent`", "가", "를", "는", "와", "로"},      // 에이전트
		{"\"dslab\"", "이", "을", "은", "과", "으로"},              // quotes are not read
		{"v1.37.2", "가", "를", "는", "와", "로"},                 // 이
		{"1.25", "가", "를", "는", "와", "로"},                    // 오
		{"10", "이", "을", "은", "과", "으로"},                     // 십
		{"100", "이", "을", "은", "과", "으로"},                    // 백
		{"7", "이", "을", "은", "과", "로"},                       // 칠
		{"0", "이", "을", "은", "과", "으로"},                      // 영
		{"URL", "이", "을", "은", "과", "로"},                     // 유알엘
		{"SSD", "가", "를", "는", "와", "로"},                     // 에스에스디
		{"ssd", "가", "를", "는", "와", "로"},                     // 에스에스디
		{"JSON", "이", "을", "은", "과", "으로"},                   // 제이에스오엔
		{"kubelet", "이", "을", "은", "과", "으로"},                // 큐블릿
		{"agent", "가", "를", "는", "와", "로"},                   // 에이전트
		{"dedicated=gpu:NoSchedule", "이", "을", "은", "과", "로"},
		{"hardware=gpu", "가", "를", "는", "와", "로"},          // 지피유
		{"control-plane", "이", "을", "은", "과", "으로"},        // 플레인
		{"fluentd-elasticsearch", "가", "를", "는", "와", "로"}, // 서치
		{"kind", "가", "를", "는", "와", "로"},                  // 카인드
		{"embedded", "가", "를", "는", "와", "로"},              // 임베디드
		{"stack", "이", "을", "은", "과", "으로"},                // 스택
		{"", "가", "를", "는", "와", "로"},
	}
	for _, tt := range tests {
		got := []string{IGa(tt.word), EulReul(tt.word), EunNeun(tt.word), WaGwa(tt.word), EuroRo(tt.word)}
		want := []string{tt.iga, tt.eul, tt.eun, tt.wa, tt.euro}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%q: particles = %v, want %v", tt.word, got, want)
				break
			}
		}
	}
}

func TestFinalOf(t *testing.T) {
	tests := map[string]Final{
		"달": Rieul, "산": Consonant, "바다": Vowel, "ㄹ": Rieul, "ㄴ": Consonant,
		"label": Rieul, "name": Consonant, "node": Vowel, "(note)": Vowel,
		"값)": Consonant, "worker (2)": Vowel, "…": Vowel,
	}
	for w, want := range tests {
		if got := FinalOf(w); got != want {
			t.Errorf("FinalOf(%q) = %d, want %d", w, got, want)
		}
	}
}
