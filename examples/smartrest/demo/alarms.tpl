11,102,$,$,$.id,$.text,$.type,$.severity,$.count
