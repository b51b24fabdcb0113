11,811,$,$.c8y_Restart,$.id,$.deviceId
11,814,$.c8y_SoftwareList,$.name,$.name,$.version
