"""The going-further page: the stability of gradient descent with momentum, the sharpness of
chapter 1's regression along its run, and the asides of chapter 2."""
