package later

import "testing"

func TestGreetingSaysHello(t *testing.T) {
	if Greeting() != "hello" {
		t.Error("Greeting() is not hello")
	}
}
