print("armvisor")
