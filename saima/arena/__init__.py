"""Arena contests (擂台赛): contestants, judges, scores, the live board."""
