module example.com/borrow

go 1.25
